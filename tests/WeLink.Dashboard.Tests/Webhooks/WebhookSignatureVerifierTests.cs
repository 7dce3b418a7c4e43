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
    public void Verify_Hs256Jwt_AcceptedOnlyWithTheSecret()
    {
        const string header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
        var payload = Base64Url("""{"request_id":"r1"}"""u8.ToArray());
        var signature = Base64Url(System.Security.Cryptography.HMACSHA256.HashData("jwt-secret"u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(header + "." + payload)));
        using var document = JsonDocument.Parse($$"""{"status":"SUCCESS","hash":"{{header}}.{{payload}}.{{signature}}"}""");

        Assert.Equal(SignatureOutcome.VerifiedJwt, new WebhookSignatureVerifier("jwt-secret").Verify(document.RootElement));
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("wrong").Verify(document.RootElement));
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
}
