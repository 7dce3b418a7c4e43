using System.Text.Json;
using WeLink.Testing;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Webhooks;

public class WebhookSignatureVerifierTests
{
    public static TheoryData<HmacVector> Vectors()
    {
        var data = new TheoryData<HmacVector>();
        foreach (var vector in TestFixtures.HmacVectors()) data.Add(vector);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_SharedVector_MatchesExpectedValidity(HmacVector vector)
    {
        using var document = JsonDocument.Parse(vector.Body);
        var outcome = new WebhookSignatureVerifier(vector.Secret).Verify(document.RootElement);

        Assert.Equal(vector.Valid, outcome.IsAccepted());
        if (vector.Valid)
        {
            var expected = vector.Form == "python" ? SignatureOutcome.VerifiedPython : SignatureOutcome.VerifiedNode;
            Assert.Equal(expected, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_WithRawBody_SameAnswerAsWithoutIt(HmacVector vector)
    {
        using var document = JsonDocument.Parse(vector.Body);
        var verifier = new WebhookSignatureVerifier(vector.Secret);
        Assert.Equal(verifier.Verify(document.RootElement), verifier.Verify(document.RootElement, System.Text.Encoding.UTF8.GetBytes(vector.Body)));
    }

    [Fact]
    public void Verify_RawBodyWithHashLastButAlteredText_IsRejected()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"r1"}""", "k");
        var tampered = body.Replace("r1", "r2");
        using var document = JsonDocument.Parse(tampered);
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("k").Verify(document.RootElement, System.Text.Encoding.UTF8.GetBytes(tampered)));
    }

    [Fact]
    public void HmacVectors_CoverValidAndInvalidCases()
    {
        var vectors = TestFixtures.HmacVectors();
        Assert.Contains(vectors, v => v.Valid && v.Form == "python");
        Assert.Contains(vectors, v => !v.Valid);
        Assert.True(vectors.Count >= 30);
    }

    [Fact]
    public void Verify_NoSecret_IsUnverifiedNotRejected()
    {
        using var document = JsonDocument.Parse("""{"status":"SUCCESS"}""");
        Assert.Equal(SignatureOutcome.Unverified, new WebhookSignatureVerifier(null).Verify(document.RootElement));
    }

    [Fact]
    public void Sign_ThenVerify_RoundTripsWithNonAsciiText()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","result":{"name":"Zoë \u2028 ✓","n":1.50}}""", "s3cret");
        Assert.Contains("Zoë", body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(SignatureOutcome.VerifiedNode, new WebhookSignatureVerifier("s3cret").Verify(document.RootElement));
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("other").Verify(document.RootElement));
    }

    [Fact]
    public void Verify_Hs256JwtOfTheBody_AcceptedOnlyWithTheSecret()
    {
        var token = Jwt("jwt-secret", """{"status":"SUCCESS","request_id":"r1"}""");
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","request_id":"r1","hash":"{{token}}"}""");

        Assert.Equal(SignatureOutcome.VerifiedJwt, new WebhookSignatureVerifier("jwt-secret").Verify(document.RootElement));
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("wrong").Verify(document.RootElement));
    }

    [Theory]
    [InlineData("""{"status":"SUCCESS","request_id":"r1"}""", """{"status":"PIN_REQUIRED","request_id":"r1"}""")]
    [InlineData("""{"request_id":"r1"}""", """{"status":"SUCCESS","request_id":"r1"}""")]
    [InlineData("""{"status":"SUCCESS","request_id":"r1","account_id":"a"}""", """{"status":"SUCCESS","request_id":"r1"}""")]
    [InlineData("""{"status":"SUCCESS","result":{"n":1}}""", """{"status":"SUCCESS","result":{"n":2}}""")]
    [InlineData("""{"status":"SUCCESS","n":1}""", """{"status":"SUCCESS","n":"1"}""")]
    public void Verify_JwtSignedForAnotherBody_IsRejected(string payload, string body)
    {
        var token = Jwt("jwt-secret", payload);
        using var document = JsonDocument.Parse(body[..^1] + $",\"hash\":\"{token}\"}}");
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("jwt-secret").Verify(document.RootElement));
    }

    [Fact]
    public void Verify_JwtPayloadInOtherOrderWithTimeClaims_IsAccepted()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Jwt("k", $$"""{"result":{"b":2,"a":1.0},"iat":{{now}},"exp":{{now + 60}},"nbf":{{now - 5}},"status":"SUCCESS"}""");
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","result":{"a":1,"b":2},"hash":"{{token}}"}""");
        Assert.Equal(SignatureOutcome.VerifiedJwt, new WebhookSignatureVerifier("k").Verify(document.RootElement));
    }

    [Theory]
    [InlineData(-119, true)]
    [InlineData(-121, false)]
    public void Verify_JwtExp_HoldsWithTwoMinutesOfSkew(int expInSeconds, bool accepted)
    {
        // The verifier reads a fixed clock: a slow machine must not move the one-second margins.
        var clock = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var token = Jwt("k", $$"""{"status":"SUCCESS","exp":{{now + expInSeconds}}}""");
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","hash":"{{token}}"}""");
        Assert.Equal(accepted, new WebhookSignatureVerifier("k", time: clock).Verify(document.RootElement).IsAccepted());
    }

    [Theory]
    [InlineData(119, true)]
    [InlineData(121, false)]
    public void Verify_JwtNbf_HoldsWithTwoMinutesOfSkew(int nbfInSeconds, bool accepted)
    {
        // The verifier reads a fixed clock: a slow machine must not move the one-second margins.
        var clock = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var token = Jwt("k", $$"""{"status":"SUCCESS","nbf":{{now + nbfInSeconds}}}""");
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","hash":"{{token}}"}""");
        Assert.Equal(accepted, new WebhookSignatureVerifier("k", time: clock).Verify(document.RootElement).IsAccepted());
    }

    [Fact]
    public void Verify_JwtWhenTheFormIsTurnedOff_IsRejected()
    {
        var token = Jwt("k", """{"status":"SUCCESS"}""");
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","hash":"{{token}}"}""");
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("k", acceptJwt: false).Verify(document.RootElement));
    }

    [Fact]
    public void Check_SampleFileWithItsFinalNewline_VerifiedOnTheAsSentPath()
    {
        var body = TestFixtures.Samples("events").Single(s => s.Name == "LOGIN_SUCCESS").Body;
        Assert.EndsWith("\n", body);
        using var document = JsonDocument.Parse(body);
        var check = new WebhookSignatureVerifier(TestFixtures.SampleSecret).Check(document.RootElement, System.Text.Encoding.UTF8.GetBytes(body));
        Assert.Equal((SignatureOutcome.VerifiedNode, VerificationPath.AsSent), (check.Outcome, check.Path));
    }

    [Fact]
    public void Check_BodyAsWeLinkSendsIt_VerifiedOnTheAsSentPath()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"r1","result":{"name":"Zoë"}}""", "k");
        using var document = JsonDocument.Parse(body);
        var check = new WebhookSignatureVerifier("k").Check(document.RootElement, System.Text.Encoding.UTF8.GetBytes(body));
        Assert.Equal(SignatureOutcome.VerifiedNode, check.Outcome);
        Assert.Equal(VerificationPath.AsSent, check.Path);
    }

    [Fact]
    public void Check_ByteVariantsOfOneSignedBody_ShareTheContentDigest()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"r1","result":{"name":"Zoë/x"}}""", "k");
        var spaced = "{ " + body[1..].Replace("\",\"", "\" , \"");
        var escaped = body.Replace("ë", "\\u00eb").Replace("/", "\\/");
        var verifier = new WebhookSignatureVerifier("k");
        var digests = new[] { body, spaced, escaped }.Select(text =>
        {
            using var document = JsonDocument.Parse(text);
            var check = verifier.Check(document.RootElement, System.Text.Encoding.UTF8.GetBytes(text));
            Assert.Equal(SignatureOutcome.VerifiedNode, check.Outcome);
            return Convert.ToHexString(check.ContentDigest);
        }).ToList();
        Assert.Single(digests.Distinct());
        Assert.Equal(64, digests[0].Length);
    }

    public static TheoryData<SignedVector> LoneSurrogateVectors()
    {
        var data = new TheoryData<SignedVector>();
        foreach (var vector in TestFixtures.LoneSurrogateVectors()) data.Add(vector);
        return data;
    }

    [Theory]
    [MemberData(nameof(LoneSurrogateVectors))]
    public void Verify_LoneSurrogateVector_AcceptedInItsForm(SignedVector vector)
    {
        using var document = JsonDocument.Parse(vector.Body);
        var verifier = new WebhookSignatureVerifier(vector.Secret);
        var expected = vector.Form == "python" ? SignatureOutcome.VerifiedPython : SignatureOutcome.VerifiedNode;
        Assert.Equal(expected, verifier.Verify(document.RootElement));
        Assert.Equal(expected, verifier.Verify(document.RootElement, System.Text.Encoding.UTF8.GetBytes(vector.Body)));
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("another").Verify(document.RootElement));
    }

    [Fact]
    public void LoneSurrogateVectors_CoverBothFormsAndKeys()
    {
        var vectors = TestFixtures.LoneSurrogateVectors();
        Assert.Contains(vectors, v => v.Form == "node");
        Assert.Contains(vectors, v => v.Form == "python");
        Assert.All(vectors, v => Assert.Contains("\\ud", v.Body.ToLowerInvariant()));
    }

    [Fact]
    public void EnvelopeRead_LoneSurrogateInMessage_ReplacementMark()
    {
        using var document = JsonDocument.Parse("""{"status":"FAILED","message":"Hi \ud83d","request_id":"r\udc00"}""");
        var envelope = WebhookEnvelope.Read(document.RootElement);
        Assert.Equal("Hi \uFFFD", envelope.Message);
        Assert.Equal("r\uFFFD", envelope.RequestId);
    }

    private static string Jwt(string secret, string payload)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var body = Base64Url(System.Text.Encoding.UTF8.GetBytes(payload));
        var signature = Base64Url(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.ASCII.GetBytes(header + "." + body)));
        return header + "." + body + "." + signature;
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("-0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1E20", "100000000000000000000")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("123.4500", "123.45")]
    [InlineData("1.5e300", "1.5e+300")]
    public void FormatNodeNumber_FollowsEcmaScript(string token, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNodeNumber(token));

    [Theory]
    [InlineData("12345678901234567890", "12345678901234567890")]
    [InlineData("1.0", "1.0")]
    [InlineData("1e16", "1e+16")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("2.50", "2.5")]
    public void FormatPythonNumber_FollowsPythonRepr(string token, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatPythonNumber(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
