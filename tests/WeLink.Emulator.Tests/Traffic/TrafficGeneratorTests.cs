using System.Text.Json;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Emulator.Tests.Traffic;

public sealed class TrafficGeneratorTests
{
    private const string Secret = "generator-secret";
    private static readonly SendOptions Options = new() { Target = new Uri("http://127.0.0.1:5000/webhooks/welink"), Secret = Secret, RunId = "a1b2c3d4" };
    private static readonly Lazy<IReadOnlyList<GeneratedEvent>> Run = new(() => new TrafficGenerator(Options).Generate());

    [Fact]
    public void Generate_SignedRun_EveryBodyIsAnObjectThatVerifies()
    {
        var verifier = new WebhookSignatureVerifier(Secret);
        Assert.Equal(Options.Count, Run.Value.Count(e => !e.IsRedelivery));
        foreach (var e in Run.Value)
        {
            using var document = JsonDocument.Parse(e.Body);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.Equal(SignatureOutcome.VerifiedNode, verifier.Verify(document.RootElement));
            Assert.EndsWith("\"}", e.Body);
            Assert.Contains(",\"hash\":\"", e.Body);
        }
    }

    [Fact]
    public void Generate_2000Events_CoverEveryDocumentedTypeAndErrorCode()
    {
        var types = Run.Value.Select(e => e.EventType).ToHashSet();
        Assert.All(EventTypes.Documented, t => Assert.Contains(t, types));
        Assert.Contains(EventTypes.Unknown, types);

        var codes = Run.Value.Where(e => e.ErrorCode is not null).Select(e => e.ErrorCode!).ToHashSet();
        Assert.All(ErrorCodes.Documented.Keys, c => Assert.Contains(c, codes));
        Assert.Contains("SESSION_EXPIRED", codes);
    }

    [Fact]
    public void Generate_2000Events_EveryDocumentedCodeAppearsAsStatusAsErrorAndAsMessage()
    {
        var asStatus = new HashSet<string>();
        var asError = new HashSet<string>();
        var asMessage = new HashSet<string>();
        foreach (var e in Run.Value)
        {
            using var document = JsonDocument.Parse(e.Body);
            var root = document.RootElement;
            var status = root.GetProperty("status").GetString()!;
            asStatus.Add(status);
            if (status == "FAILED" && root.TryGetProperty("error", out var error)) asError.Add(error.GetString()!);
            if (root.TryGetProperty("message", out var message)) asMessage.Add(message.GetString()!);
        }
        Assert.All(ErrorCodes.Documented.Keys, c => Assert.Contains(c, asStatus));
        Assert.All(ErrorCodes.Documented.Keys, c => Assert.Contains(c, asError));
        Assert.All(ErrorCodes.Documented.Keys, c => Assert.Contains(c, asMessage));
    }

    [Fact]
    public void Generate_2000Events_UsesBothRequestIdSpellingsAndRawNonAscii()
    {
        Assert.Contains(Run.Value, e => e.Body.Contains("\"request_id\":", StringComparison.Ordinal));
        Assert.Contains(Run.Value, e => e.Body.Contains("\"requestId\":", StringComparison.Ordinal));
        Assert.Contains(Run.Value, e => e.Body.Contains('ë') || e.Body.Contains('ø') || e.Body.Contains('é'));
        Assert.DoesNotContain(Run.Value, e => e.Body.Contains("\\u00", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Redeliveries_ResendEarlierBytesToTheSameUrl()
    {
        var redeliveries = Run.Value.Where(e => e.IsRedelivery).ToList();
        Assert.InRange(redeliveries.Count, 40, 200);
        foreach (var r in redeliveries)
        {
            var original = Run.Value[r.RedeliveryOf!.Value];
            Assert.True(original.Sequence < r.Sequence);
            Assert.False(original.IsRedelivery);
            Assert.Equal(original.Body, r.Body, StringComparer.Ordinal);
            Assert.Equal(original.Url, r.Url);
        }
    }

    [Fact]
    public void Generate_DistinctEvents_HaveDistinctBodies()
    {
        var originals = Run.Value.Where(e => !e.IsRedelivery).ToList();
        Assert.Equal(originals.Count, originals.Select(e => e.Body).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generate_PinLogins_OutcomeFollowsWithTheSameRequestId()
    {
        var pins = Run.Value.Where(e => e.EventType == EventTypes.LoginPinRequired && !e.IsRedelivery).ToList();
        Assert.NotEmpty(pins);
        foreach (var pin in pins)
        {
            var outcome = Assert.Single(Run.Value, e => !e.IsRedelivery && e.After == pin.Sequence);
            Assert.Equal(pin.RequestId, outcome.RequestId);
            Assert.Contains(outcome.EventType, new[] { EventTypes.LoginSuccess, EventTypes.LoginFailed });
            Assert.Equal(pin.AccountId, outcome.AccountId);
            Assert.Contains(outcome.RequestId, outcome.Body);
        }
        Assert.Contains(pins, pin => pin.UrlForm != WebhookUrlForm.Bare
            && Run.Value.Any(e => e.After == pin.Sequence && !e.IsRedelivery && e.UrlForm == WebhookUrlForm.Bare));
    }

    [Fact]
    public void Generate_LoginSuccess_CarriesTheDocumentedResult()
    {
        var success = Run.Value.First(e => e.EventType == EventTypes.LoginSuccess);
        using var document = JsonDocument.Parse(success.Body);
        var result = document.RootElement.GetProperty("result");
        foreach (var field in new[] { "first_name", "last_name", "profile_id", "public_identifier", "premium", "occupation", "email" })
            Assert.True(result.TryGetProperty(field, out _), field);
        Assert.Equal(success.AccountId + "@example.test", result.GetProperty("email").GetString());
    }

    [Fact]
    public void Generate_Urls_UseEveryHintForm()
    {
        Assert.Contains(Run.Value, e => e.Url.AbsoluteUri.EndsWith("/webhooks/welink", StringComparison.Ordinal));
        Assert.Contains(Run.Value, e => e.Url.PathAndQuery == $"/webhooks/welink?account={e.AccountId}");
        Assert.Contains(Run.Value, e => e.Url.PathAndQuery == $"/webhooks/welink/{e.EventType}?account={e.AccountId}");
        Assert.Contains(Run.Value, e => e.Url.PathAndQuery == $"/webhooks/welink?event={e.EventType}&account={e.AccountId}");
        Assert.All(Run.Value.Where(e => e.UrlForm == WebhookUrlForm.Bare), e => Assert.Equal("", e.Url.Query));
    }

    [Fact]
    public void Generate_SameOptions_SameRun()
    {
        var again = new TrafficGenerator(Options).Generate();
        Assert.Equal(Run.Value.Select(e => (e.Url, e.Body)), again.Select(e => (e.Url, e.Body)));
    }

    [Fact]
    public void Generate_NoRunId_FreshRequestIdsEachRun()
    {
        var options = Options with { RunId = null, Count = 20 };
        var first = new TrafficGenerator(options).Generate().Select(e => e.RequestId).ToHashSet();
        var second = new TrafficGenerator(options).Generate().Select(e => e.RequestId);
        Assert.DoesNotContain(second, first.Contains);
    }

    [Fact]
    public void Generate_NoSecret_BodiesHaveNoHash()
    {
        var run = new TrafficGenerator(Options with { Secret = null, Count = 50 }).Generate();
        Assert.All(run, e => Assert.DoesNotContain("\"hash\"", e.Body));
    }
}
