using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>A <c>login_v2</c> by e-mail for an account We-Link's list does not have yet.</summary>
public sealed class GatewayLoginTests
{
    private const string NewAccount = "acc-005";

    [Fact]
    public async Task Gateway_LoginOfUnlistedEmail_EmailStandsInUntilTheListNamesTheAccountThenPinGoesThrough()
    {
        await using var stack = await GatewayStack.StartAsync(unlisted: [NewAccount],
            settings: new Dictionary<string, string?> { ["Gateway:AccountListRefresh"] = "00:00:01" });
        var account = stack.WeLink.Accounts.Single(a => a.AccountId == NewAccount);
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);

        using var login = await client.PostAsJsonAsync("/welink/api/v1/login_v2", new { email = account.Email.ToUpperInvariant(), password = "pw-1f0c" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var requestId = Assert.Single(login.Headers.GetValues("X-Request-Id"));
        // Not in the list: the e-mail stands in for the account.
        Assert.Equal(account.Email.ToLowerInvariant(), stack.App.Scalar<string>($"SELECT PendingEmail FROM GatewayCalls WHERE RequestId = '{requestId}'"));
        Assert.Equal(1, stack.App.Scalar<long>($"SELECT COUNT(*) FROM GatewayCalls WHERE RequestId = '{requestId}' AND AccountId IS NULL"));

        // Its PIN request says whose e-mail it is and that the account is not known yet; no PIN can be sent, not even with a guessed account.
        var pin = await Poll.UntilAsync(() => PendingPinAsync(client, requestId), p => p is not null, TimeSpan.FromSeconds(30), "the login's PIN request");
        Assert.Equal(JsonValueKind.Null, pin!.Value.GetProperty("accountId").ValueKind);
        Assert.Equal(account.Email.ToLowerInvariant(), pin.Value.GetProperty("pendingEmail").GetString());
        using (var refused = await client.PostAsJsonAsync($"/api/pins/{requestId}", new { code = "123456", accountId = "acc-001" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("login_code needs the account id", await refused.Content.ReadAsStringAsync());
        }
        Assert.Empty(stack.WeLink.LoginCodes);

        // We-Link's list gains the account: the next refresh gives the call, its request and its PIN request the id.
        stack.WeLink.SetListed(NewAccount, true);
        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<string>($"SELECT COALESCE(AccountId, '') FROM PinRequests WHERE RequestId = '{requestId}'")),
            a => a == NewAccount, TimeSpan.FromSeconds(30), "the PIN request to move to the account id");
        Assert.Equal(NewAccount, stack.App.Scalar<string>($"SELECT AccountId FROM GatewayCalls WHERE RequestId = '{requestId}'"));
        Assert.Equal(0, stack.App.Scalar<long>($"SELECT COUNT(*) FROM GatewayCalls WHERE PendingEmail IS NOT NULL"));
        Assert.Equal(NewAccount, stack.App.Scalar<string>($"SELECT AccountId FROM Requests WHERE RequestId = '{requestId}'"));
        var known = await PendingPinAsync(client, requestId);
        Assert.False(known!.Value.TryGetProperty("pendingEmail", out var still) && still.ValueKind != JsonValueKind.Null);

        using (var accepted = await client.PostAsJsonAsync($"/api/pins/{requestId}", new { code = "123456" }))
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var code = await stack.WeLink.WaitForLoginCodeAsync(c => c.RequestId == requestId, TimeSpan.FromSeconds(30));
        Assert.Equal(NewAccount, code.AccountId);
    }

    private static async Task<JsonElement?> PendingPinAsync(HttpClient client, string requestId)
    {
        using var response = await client.GetAsync("/api/pins");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var item in document.RootElement.EnumerateArray())
            if (item.GetProperty("requestId").GetString() == requestId) return item.Clone();
        return null;
    }
}
