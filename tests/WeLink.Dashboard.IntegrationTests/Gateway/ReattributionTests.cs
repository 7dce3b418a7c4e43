using System.Net;
using System.Net.Http.Json;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>A request that becomes known after its webhooks re-attributes and re-types them, projections included.</summary>
public sealed class ReattributionTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RegisterRequest_AfterItsLoginFailure_RetypesEventAndSetsAccountLoginFailed()
    {
        // Stored first with neither type nor account: nothing in the body says it is a login.
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync("""{"status":"FAILED","request_id":"login-1","error":"PROXY_ERROR"}""")).StatusCode);
        Assert.Equal("UNKNOWN", _app.Scalar<string>("SELECT EventType FROM Events WHERE RequestId = 'login-1'"));

        using var register = await _app.Http.PostAsJsonAsync("/api/requests", new { requestId = "login-1", accountId = "acc-7", action = "login" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);

        Assert.Equal(("LOGIN_FAILED", "Correlated", "acc-7"), (_app.Scalar<string>("SELECT EventType FROM Events WHERE RequestId = 'login-1'"),
            _app.Scalar<string>("SELECT TypeSource FROM Events WHERE RequestId = 'login-1'"), _app.Scalar<string>("SELECT AccountId FROM Events WHERE RequestId = 'login-1'")));
        Assert.Equal(("LoginFailed", "PROXY_ERROR"), (_app.Scalar<string>("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-7'"),
            _app.Scalar<string>("SELECT StateErrorCode FROM Accounts WHERE AccountId = 'acc-7'")));
        // The counters moved from (unattributed, UNKNOWN) to (acc-7, LOGIN_FAILED): the pages read them.
        Assert.Equal(0, _app.Scalar<long>("SELECT COUNT(*) FROM HourlyEventCounts WHERE EventType = 'UNKNOWN' OR AccountKey = ''"));
        Assert.Equal(1, _app.Scalar<long>("SELECT Count FROM HourlyEventCounts WHERE AccountKey = 'acc-7' AND EventType = 'LOGIN_FAILED' AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(1, _app.Scalar<long>("SELECT Count FROM DailyErrorCounts WHERE AccountKey = 'acc-7' AND ErrorCode = 'PROXY_ERROR'"));
        Assert.Equal(0, _app.Scalar<long>("SELECT COUNT(*) FROM HourlyErrorCounts WHERE AccountKey = ''"));
        Assert.Equal(1, _app.Scalar<long>("SELECT Count FROM HourlyErrorCounts WHERE AccountKey = 'acc-7' AND ErrorCode = 'PROXY_ERROR'"));
    }

    [Fact]
    public async Task RegisterRequest_AfterPinRequiredAndSuccess_PinRequestAndLoginMoveToTheAccount()
    {
        await _app.PostSignedWebhookAsync("""{"status":"PIN_REQUIRED","request_id":"login-2","message":"Please provide the code"}""");
        // A bare SUCCESS: the PIN request's login request types it, but neither has an account yet.
        await _app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"login-2"}""");
        Assert.Equal(1, _app.Scalar<long>("SELECT COUNT(*) FROM PinRequests WHERE RequestId = 'login-2' AND AccountId IS NULL"));

        using var register = await _app.Http.PostAsJsonAsync("/api/requests", new { requestId = "login-2", accountId = "acc-8", action = "login" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);

        Assert.Equal(("Succeeded", "acc-8"), (_app.Scalar<string>("SELECT Status FROM PinRequests WHERE RequestId = 'login-2'"),
            _app.Scalar<string>("SELECT AccountId FROM PinRequests WHERE RequestId = 'login-2'")));
        Assert.Equal("LOGIN_SUCCESS", _app.Scalar<string>("SELECT EventType FROM Events WHERE RequestId = 'login-2' AND Status = 'SUCCESS'"));
        Assert.Equal("Connected", _app.Scalar<string>("SELECT LoginState FROM Accounts WHERE AccountId = 'acc-8'"));
        Assert.Equal(2, _app.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-8'"));
    }
}
