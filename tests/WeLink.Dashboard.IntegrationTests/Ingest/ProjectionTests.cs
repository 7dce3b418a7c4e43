using System.Net;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Ingest;

/// <summary>Login state, PIN requests, correlation and counters, kept in the event's transaction.</summary>
public sealed class ProjectionTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    private async Task PostAsync(string json, string path = "/webhooks/welink") =>
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(json, path)).StatusCode);

    private string? Text(string sql) => _app.Scalar<string>(sql);

    [Fact]
    public async Task PinFlow_PinRequiredThenSuccessSameRequest_BothKeptAndAccountConnected()
    {
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"login-1","message":"Please provide the verification code sent to the user"}""",
            "/webhooks/welink?account=acc-1");
        Assert.Equal("PinRequired", Text("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-1'"));
        Assert.Equal("Pending", Text("SELECT Status FROM PinRequests WHERE RequestId = 'login-1'"));
        Assert.Equal("login-1", Text("SELECT PendingPinRequestId FROM Accounts WHERE AccountId = 'acc-1'"));

        // The outcome arrives on the bare URL: the account and type come from the request seen on the
        // first event; its account was only hinted by a URL, so it stays a hint.
        await PostAsync("""{"status":"SUCCESS","request_id":"login-1","result":{"first_name":"Zoë","last_name":"Ng","email":"Zoe@Example.com","profile_id":"ACoZ"}}""");

        Assert.Equal(2, _app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE RequestId = 'login-1'"));
        Assert.Equal("Hinted", Text("SELECT AccountSource FROM Events WHERE Id = 2"));
        Assert.Equal("Correlated", Text("SELECT TypeSource FROM Events WHERE Id = 2"));
        Assert.Equal("Connected", Text("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-1'"));
        Assert.Equal("Succeeded", Text("SELECT Status FROM PinRequests WHERE RequestId = 'login-1'"));
        Assert.Equal("zoe@example.com", Text("SELECT Email FROM Accounts WHERE AccountId = 'acc-1'"));
        Assert.Equal("Zoë Ng", Text("SELECT DisplayName FROM Accounts WHERE AccountId = 'acc-1'"));
        Assert.Equal(2, _app.Scalar<long>("SELECT COUNT(*) FROM AccountStateChanges WHERE AccountId = 'acc-1'"));
    }

    [Fact]
    public async Task Attribution_ByEmailOfAnEarlierLogin_IsInferred()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"l1","result":{"first_name":"A","email":"a@example.com","profile_id":"P1","premium":false}}""",
            "/webhooks/welink?account=acc-a");
        await PostAsync("""{"status":"SUCCESS","request_id":"l2","result":{"first_name":"A","email":"A@example.com","premium":false}}""");

        Assert.Equal("acc-a", Text("SELECT AccountId FROM Events WHERE RequestId = 'l2'"));
        Assert.Equal("Inferred", Text("SELECT AccountSource FROM Events WHERE RequestId = 'l2'"));
    }

    [Fact]
    public async Task LoginFailure_ThenRestriction_LoginStateKeepsFailureAndRestrictedIsAFlag()
    {
        await PostAsync("""{"status":"WRONG_PASSWORD","request_id":"l3","message":"Invalid LinkedIn credentials"}""", "/webhooks/welink?account=acc-b");
        Assert.Equal("LoginFailed", Text("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-b'"));
        Assert.Equal("WRONG_PASSWORD", Text("SELECT StateErrorCode FROM Accounts WHERE AccountId = 'acc-b'"));

        await PostAsync("""{"status":"ACCOUNT_RESTRICTED","request_id":"c1"}""", "/webhooks/welink?account=acc-b");
        Assert.Equal("LoginFailed", Text("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-b'"));
        Assert.Equal("WRONG_PASSWORD", Text("SELECT StateErrorCode FROM Accounts WHERE AccountId = 'acc-b'"));
        Assert.True(_app.Scalar<long>("SELECT COALESCE(RestrictedSince, 0) FROM Accounts WHERE AccountId = 'acc-b'") > 0);
    }

    [Fact]
    public async Task RateLimit_RecordsWhenAndKeepsLoginState()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"l4","result":{"first_name":"B","premium":true}}""", "/webhooks/welink?account=acc-c");
        await PostAsync("""{"status":"FAILED","requestId":"m1","error":"STATUS_429"}""", "/webhooks/welink/MESSAGE_FAILED?account=acc-c");

        Assert.Equal("Connected", Text("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-c'"));
        Assert.True(_app.Scalar<long>("SELECT COALESCE(RateLimitedAt, 0) FROM Accounts WHERE AccountId = 'acc-c'") > 0);
        Assert.Equal(_app.Scalar<long>("SELECT RateLimitedAt FROM Accounts WHERE AccountId = 'acc-c'"),
            _app.Scalar<long>("SELECT RateLimitedSince FROM Accounts WHERE AccountId = 'acc-c'"));
        // The history is of the login state only.
        Assert.Equal("Connected", Text("SELECT State FROM AccountStateChanges WHERE AccountId = 'acc-c' ORDER BY Id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Counters_CountPerTypeAccountAndErrorCode()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"c1","result":{"connected":true,"profile_id":"X"}}""", "/webhooks/welink?account=acc-d");
        await PostAsync("""{"status":"SUCCESS","request_id":"c2","result":{"connected":true,"profile_id":"Y"}}""", "/webhooks/welink?account=acc-d");
        await PostAsync("""{"status":"FAILED","request_id":"c3","error":"PROFILE_NOT_FOUND"}""", "/webhooks/welink/CONNECTION_FAILED?account=acc-d");
        await PostAsync("""{"status":"FAILED","request_id":"c4","error":"SOMETHING_NEW"}""");

        Assert.Equal(2, _app.Scalar<long>("SELECT SUM(Count) FROM HourlyEventCounts WHERE AccountKey = 'acc-d' AND EventType = 'CONNECTION_SENT'"));
        Assert.Equal(1, _app.Scalar<long>("SELECT SUM(Count) FROM HourlyEventCounts WHERE AccountKey = 'acc-d' AND ErrorCode = 'PROFILE_NOT_FOUND'"));
        Assert.Equal(1, _app.Scalar<long>("SELECT SUM(Count) FROM HourlyEventCounts WHERE AccountKey = '' AND ErrorCode = 'SOMETHING_NEW'"));
        Assert.Equal(3, _app.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-d'"));
    }

    [Fact]
    public async Task Redelivery_DoesNotCountTwice()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"c9","result":{"connected":true}}""", DashboardApp.Secret);
        for (var i = 0; i < 3; i++) await _app.PostWebhookAsync(body, "/webhooks/welink?account=acc-e");
        Assert.Equal(1, _app.Scalar<long>("SELECT SUM(Count) FROM HourlyEventCounts WHERE AccountKey = 'acc-e'"));
        Assert.Equal(1, _app.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-e'"));
    }
}
