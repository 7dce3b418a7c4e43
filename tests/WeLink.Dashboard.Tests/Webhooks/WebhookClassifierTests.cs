using System.Text.Json;
using WeLink.Testing;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Webhooks;

public class WebhookClassifierTests
{
    private sealed class Lookup : IClassificationLookup
    {
        public Dictionary<string, KnownRequest> Requests { get; } = new();
        public Dictionary<string, string> Emails { get; } = new();
        public Dictionary<string, string> Profiles { get; } = new();

        public KnownRequest? FindRequest(string requestId) => Requests.GetValueOrDefault(requestId);
        public string? FindAccountByEmail(string email) => Emails.GetValueOrDefault(email);
        public string? FindAccountByProfileId(string profileId) => Profiles.GetValueOrDefault(profileId);
    }

    private static EventClassification Classify(string json, WebhookHints? hints = null, Lookup? lookup = null)
    {
        using var document = JsonDocument.Parse(json);
        return WebhookClassifier.Classify(WebhookEnvelope.Read(document.RootElement), hints ?? WebhookHints.None, lookup ?? new Lookup());
    }

    // Documented shapes are recognised from the body alone; the undocumented ones need a hint or a known request.
    [Theory]
    [InlineData("LOGIN_SUCCESS", "LOGIN_SUCCESS", DerivationSource.Inferred)]
    [InlineData("LOGIN_PIN_REQUIRED", "LOGIN_PIN_REQUIRED", DerivationSource.Inferred)]
    [InlineData("LOGIN_FAILED", "LOGIN_FAILED", DerivationSource.Inferred)]
    [InlineData("CONNECTION_SENT", "CONNECTION_SENT", DerivationSource.Inferred)]
    [InlineData("CONNECTION_FAILED", "UNKNOWN", DerivationSource.Unknown)]
    [InlineData("MESSAGE_SENT", "UNKNOWN", DerivationSource.Unknown)]
    [InlineData("MESSAGE_REPLY", "UNKNOWN", DerivationSource.Unknown)]
    [InlineData("MESSAGE_FAILED", "UNKNOWN", DerivationSource.Unknown)]
    [InlineData("PROFILE_VIEWED", "UNKNOWN", DerivationSource.Unknown)]
    [InlineData("SEARCH_COMPLETED", "UNKNOWN", DerivationSource.Unknown)]
    public void Classify_SampleBodyAlone_InfersOnlyDocumentedShapes(string sample, string expected, DerivationSource source)
    {
        var body = TestFixtures.Samples("events").Single(s => s.Name == sample).Body;
        var result = Classify(body);
        Assert.Equal(expected, result.EventType);
        Assert.Equal(source, result.TypeSource);
        Assert.Null(result.AccountId);
        Assert.Equal(DerivationSource.Unknown, result.AccountSource);
    }

    [Fact]
    public void Classify_ProfileDataShape_IsNotMistakenForLogin()
    {
        // PROFILE_DATA carries first_name but none of public_identifier / premium / email.
        var body = TestFixtures.Samples("events").Single(s => s.Name == "PROFILE_DATA").Body;
        Assert.Equal(EventTypes.Unknown, Classify(body).EventType);
    }

    [Fact]
    public void Classify_EverySampleWithItsTypeAsHint_TakesTheHint()
    {
        foreach (var (name, body) in TestFixtures.Samples("events"))
        {
            var result = Classify(body, new WebhookHints(name.ToLowerInvariant()));
            Assert.Equal(name, result.EventType);
            Assert.Equal(DerivationSource.Hinted, result.TypeSource);
        }
    }

    [Fact]
    public void ErrorCodeOf_EveryErrorSample_FindsItsCode()
    {
        var samples = TestFixtures.Samples("errors");
        Assert.Equal(ErrorCodes.Documented.Count, samples.Count);
        foreach (var (code, body) in samples)
        {
            var result = Classify(body);
            Assert.Equal(code, result.ErrorCode);
            Assert.True(ErrorCodes.Documented.ContainsKey(code));
        }
    }

    [Theory]
    [InlineData("""{"status":"PROXY_ERROR","message":"Proxy connection failed"}""", "PROXY_ERROR", "Proxy connection failed")]
    [InlineData("""{"status":"FAILED","error":"STATUS_429"}""", "STATUS_429", null)]
    [InlineData("""{"status":"FAILED","message":"WRONG_PASSWORD"}""", "WRONG_PASSWORD", null)]
    [InlineData("""{"status":"FAILED","error":"Something broke"}""", null, "Something broke")]
    [InlineData("""{"status":"FAILED","error":"NEW_CODE_X","message":"text"}""", "NEW_CODE_X", "text")]
    [InlineData("""{"status":"SUCCESS","message":"done"}""", null, "done")]
    [InlineData("""{"status":"PIN_REQUIRED","message":"Please provide the code"}""", null, "Please provide the code")]
    [InlineData("""{"status":42,"error":["x"]}""", null, null)]
    public void ErrorCodeOf_StatusErrorMessage_InThatOrder(string json, string? code, string? message)
    {
        var result = Classify(json);
        Assert.Equal(code, result.ErrorCode);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("request_id")]
    [InlineData("requestId")]
    public void Classify_BothRequestIdSpellings_AreRead(string member)
    {
        var result = Classify($$"""{"status":"SUCCESS","{{member}}":"req-7"}""");
        Assert.Equal("req-7", result.RequestId);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("event_type")]
    [InlineData("eventType")]
    [InlineData("type")]
    public void Classify_ExplicitTypeField_WinsOverEverything(string member)
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", "acc-1", RequestActions.Login);
        var result = Classify($$"""{"{{member}}":"message_sent","status":"PIN_REQUIRED","request_id":"r1"}""", new WebhookHints("CONNECTION_SENT"), lookup);
        Assert.Equal(EventTypes.MessageSent, result.EventType);
        Assert.Equal(DerivationSource.Explicit, result.TypeSource);
    }

    [Fact]
    public void Classify_KnownRequest_WinsOverUnsignedHint()
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", null, RequestActions.Login);
        var result = Classify("""{"status":"PIN_REQUIRED","request_id":"r1"}""", new WebhookHints("PROFILE_VIEWED"), lookup);
        Assert.Equal((EventTypes.LoginPinRequired, DerivationSource.Correlated), (result.EventType, result.TypeSource));
    }

    [Fact]
    public void Classify_HintWithoutKnownRequest_WinsOverShape()
    {
        var result = Classify("""{"status":"PIN_REQUIRED","request_id":"r1"}""", new WebhookHints("PROFILE_VIEWED"));
        Assert.Equal((EventTypes.ProfileViewed, DerivationSource.Hinted), (result.EventType, result.TypeSource));
    }

    [Theory]
    [InlineData(RequestActions.Login, "SUCCESS", EventTypes.LoginSuccess)]
    [InlineData(RequestActions.Login, "FAILED", EventTypes.LoginFailed)]
    [InlineData(RequestActions.Login, "WRONG_PASSWORD", EventTypes.LoginFailed)]
    [InlineData(RequestActions.Login, "PIN_REQUIRED", EventTypes.LoginPinRequired)]
    [InlineData(RequestActions.Connect, "SUCCESS", EventTypes.ConnectionSent)]
    [InlineData(RequestActions.Connect, "PROFILE_NOT_FOUND", EventTypes.ConnectionFailed)]
    [InlineData(RequestActions.Message, "SUCCESS", EventTypes.MessageSent)]
    [InlineData(RequestActions.Message, "FAILED", EventTypes.MessageFailed)]
    [InlineData(RequestActions.MessageSync, "SUCCESS", EventTypes.MessageReply)]
    [InlineData(RequestActions.ViewProfile, "SUCCESS", EventTypes.ProfileViewed)]
    [InlineData(RequestActions.ScrapeProfile, "SUCCESS", EventTypes.ProfileData)]
    [InlineData(RequestActions.Search, "SUCCESS", EventTypes.SearchCompleted)]
    public void Classify_KnownRequest_CorrelatesActionWithStatus(string action, string status, string expected)
    {
        var lookup = new Lookup();
        lookup.Requests["r9"] = new KnownRequest("r9", "acc-9", action);
        var result = Classify($$"""{"status":"{{status}}","requestId":"r9"}""", lookup: lookup);
        Assert.Equal((expected, DerivationSource.Correlated), (result.EventType, result.TypeSource));
        Assert.Equal(("acc-9", DerivationSource.Correlated), (result.AccountId, result.AccountSource));
    }

    [Fact]
    public void Classify_KnownSearchRequestFailing_KeepsFamilyTypeWithFailedStatus()
    {
        var lookup = new Lookup();
        lookup.Requests["r2"] = new KnownRequest("r2", null, RequestActions.Search);
        var result = Classify("""{"status":"PROFILE_NOT_FOUND","request_id":"r2"}""", lookup: lookup);
        Assert.Equal((EventTypes.SearchCompleted, DerivationSource.Correlated), (result.EventType, result.TypeSource));
        Assert.Equal(("FAILED", "PROFILE_NOT_FOUND"), (result.Status, result.ErrorCode));
    }

    [Fact]
    public void Classify_SuccessAfterMessageSent_IsTheReply()
    {
        var lookup = new Lookup();
        lookup.Requests["r3"] = new KnownRequest("r3", "acc-3", RequestActions.Message, MessageSent: true);
        var result = Classify("""{"status":"SUCCESS","request_id":"r3"}""", lookup: lookup);
        Assert.Equal((EventTypes.MessageReply, DerivationSource.Correlated), (result.EventType, result.TypeSource));
    }

    [Theory]
    [InlineData("""{"status":"PIN_REQUIRED"}""", EventTypes.LoginPinRequired)]
    [InlineData("""{"status":"SUCCESS","result":{"connected":true}}""", EventTypes.ConnectionSent)]
    [InlineData("""{"status":"SUCCESS","result":{"first_name":"A","premium":false}}""", EventTypes.LoginSuccess)]
    [InlineData("""{"status":"SUCCESS","result":{"first_name":"A","public_identifier":"a"}}""", EventTypes.LoginSuccess)]
    [InlineData("""{"status":"SUCCESS","result":{"first_name":"A","email":"a@b"}}""", EventTypes.LoginSuccess)]
    [InlineData("""{"status":"WRONG_PASSWORD"}""", EventTypes.LoginFailed)]
    [InlineData("""{"status":"SUCCESS","result":{"first_name":"A"}}""", EventTypes.Unknown)]
    [InlineData("""{"status":"SUCCESS","result":"connected"}""", EventTypes.Unknown)]
    [InlineData("""{}""", EventTypes.Unknown)]
    public void Classify_Shape_InfersOrStaysUnknown(string json, string expected)
    {
        var result = Classify(json);
        Assert.Equal(expected, result.EventType);
        Assert.Equal(expected == EventTypes.Unknown ? DerivationSource.Unknown : DerivationSource.Inferred, result.TypeSource);
    }

    [Theory]
    [InlineData("""{"account_id":"acc-1"}""")]
    [InlineData("""{"accountId":"acc-1"}""")]
    [InlineData("""{"result":{"account_id":"acc-1"}}""")]
    [InlineData("""{"result":{"accountId":"acc-1"}}""")]
    public void Attribute_BodyField_IsExplicitAndBeatsHint(string json)
    {
        var result = Classify(json, new WebhookHints(AccountId: "acc-2"));
        Assert.Equal(("acc-1", DerivationSource.Explicit), (result.AccountId, result.AccountSource));
    }

    [Fact]
    public void Attribute_KnownRequest_BeatsUnsignedHint()
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", "acc-from-request", RequestActions.Login);
        var result = Classify("""{"request_id":"r1"}""", new WebhookHints(AccountId: "acc-hint"), lookup);
        Assert.Equal(("acc-from-request", DerivationSource.Correlated), (result.AccountId, result.AccountSource));
    }

    [Fact]
    public void Attribute_UrlHintWhenTheRequestHasNoAccount_IsHinted()
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", null, RequestActions.Login);
        var result = Classify("""{"request_id":"r1"}""", new WebhookHints(AccountId: "acc-hint"), lookup);
        Assert.Equal(("acc-hint", DerivationSource.Hinted), (result.AccountId, result.AccountSource));
    }

    [Fact]
    public void Attribute_RequestWhoseAccountWasOnlyHinted_KeepsItAgainstANewHintStillHinted()
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", "acc-first-hint", RequestActions.Login, AccountAuthenticated: false);
        var result = Classify("""{"request_id":"r1"}""", new WebhookHints(AccountId: "acc-other-hint"), lookup);
        Assert.Equal(("acc-first-hint", DerivationSource.Hinted), (result.AccountId, result.AccountSource));

        var signed = Classify("""{"request_id":"r1","account_id":"acc-body"}""", WebhookHints.None, lookup);
        Assert.Equal(("acc-body", DerivationSource.Explicit), (signed.AccountId, signed.AccountSource));
    }

    [Fact]
    public void Attribute_BodyDisagreeingWithKnownRequest_BodyStandsMarkedConflicting()
    {
        var lookup = new Lookup();
        lookup.Requests["r1"] = new KnownRequest("r1", "acc-from-request", RequestActions.Login);
        var result = Classify("""{"request_id":"r1","account_id":"acc-body"}""", WebhookHints.None, lookup);
        Assert.Equal(("acc-body", DerivationSource.Conflicting, "acc-from-request"), (result.AccountId, result.AccountSource, result.ConflictingAccountId));

        var agreeing = Classify("""{"request_id":"r1","account_id":"acc-from-request"}""", WebhookHints.None, lookup);
        Assert.Equal((DerivationSource.Explicit, (string?)null), (agreeing.AccountSource, agreeing.ConflictingAccountId));
    }

    [Fact]
    public void Attribute_EmailThenProfileId_AreInferred()
    {
        var lookup = new Lookup();
        lookup.Emails["jane@example.com"] = "acc-jane";
        lookup.Profiles["ACoA1"] = "acc-profile";
        Assert.Equal(("acc-jane", DerivationSource.Inferred),
            Pick(Classify("""{"result":{"email":"jane@example.com","profile_id":"ACoA1"}}""", lookup: lookup)));
        Assert.Equal(("acc-profile", DerivationSource.Inferred),
            Pick(Classify("""{"result":{"email":"other@example.com","profile_id":"ACoA1"}}""", lookup: lookup)));
        Assert.Equal((null, DerivationSource.Unknown),
            Pick(Classify("""{"result":{"email":"other@example.com"}}""", lookup: lookup)));

        static (string?, DerivationSource) Pick(EventClassification c) => (c.AccountId, c.AccountSource);
    }

    [Theory]
    [InlineData("connection-sent", "CONNECTION_SENT")]
    [InlineData(" Login.Success ", "LOGIN_SUCCESS")]
    [InlineData("<script>", null)]
    [InlineData("", null)]
    public void NormalizeToken_AcceptsTokensOnly(string input, string? expected) =>
        Assert.Equal(expected, WebhookClassifier.NormalizeToken(input));
}
