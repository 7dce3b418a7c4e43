using System.Net;
using System.Text.Json;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary><c>GET /api/accounts</c>: login state and health side by side, their filters, and what needs a person first.</summary>
public sealed class AccountStateApiTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    private async Task PostAsync(string json, string path = "/webhooks/welink") =>
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(json, path)).StatusCode);

    private async Task<JsonElement> GetJsonAsync(string url) => JsonDocument.Parse(await _app.Http.GetStringAsync(url)).RootElement;

    private async Task<List<string>> IdsAsync(string url) =>
        (await GetJsonAsync(url)).EnumerateArray().Select(a => a.GetProperty("accountId").GetString()!).ToList();

    /// <summary>
    /// acc-a connected then rate limited; acc-b failed its login then rate limited; acc-c restricted then
    /// asked for a PIN; acc-d connected and healthy.
    /// </summary>
    private async Task SeedAsync()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"la","account_id":"acc-a","result":{"first_name":"Ann","email":"ann@example.com","premium":false}}""");
        await PostAsync("""{"status":"FAILED","request_id":"ma","account_id":"acc-a","error":"STATUS_429"}""", "/webhooks/welink/MESSAGE_FAILED");
        await PostAsync("""{"status":"WRONG_PASSWORD","request_id":"lb","account_id":"acc-b","message":"Invalid LinkedIn credentials"}""");
        await PostAsync("""{"status":"FAILED","request_id":"mb","account_id":"acc-b","error":"STATUS_429"}""", "/webhooks/welink/MESSAGE_FAILED");
        await PostAsync("""{"status":"FAILED","request_id":"cc","account_id":"acc-c","error":"ACCOUNT_RESTRICTED"}""", "/webhooks/welink/CONNECTION_FAILED");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"lc","account_id":"acc-c","message":"code"}""");
        await PostAsync("""{"status":"SUCCESS","request_id":"ld","account_id":"acc-d","result":{"first_name":"Dee","premium":true}}""");
    }

    [Fact]
    public async Task ListAccounts_FoldedCasesOfOld_LoginStateAndHealthApartInUrgencyOrder()
    {
        await SeedAsync();
        var accounts = (await GetJsonAsync("/api/accounts")).EnumerateArray().ToDictionary(a => a.GetProperty("accountId").GetString()!);

        Assert.Equal(["acc-c", "acc-b", "acc-a", "acc-d"], await IdsAsync("/api/accounts"));

        var b = accounts["acc-b"];
        Assert.Equal("LoginFailed", b.GetProperty("loginState").GetString());
        Assert.Equal("LoginFailed", b.GetProperty("state").GetString());
        Assert.Equal("WRONG_PASSWORD", b.GetProperty("loginErrorCode").GetString());
        Assert.True(b.GetProperty("loginStateSince").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var limited = Assert.Single(b.GetProperty("health").EnumerateArray());
        Assert.Equal("RateLimited", limited.GetProperty("flag").GetString());
        Assert.Equal(limited.GetProperty("since").GetDateTimeOffset().AddHours(1), limited.GetProperty("until").GetDateTimeOffset());

        var c = accounts["acc-c"];
        Assert.Equal("PinRequired", c.GetProperty("loginState").GetString());
        var restricted = Assert.Single(c.GetProperty("health").EnumerateArray());
        Assert.Equal("Restricted", restricted.GetProperty("flag").GetString());
        Assert.Equal(JsonValueKind.Null, restricted.GetProperty("until").ValueKind);

        Assert.Equal("Connected", accounts["acc-a"].GetProperty("loginState").GetString());
        Assert.Equal(JsonValueKind.Null, accounts["acc-a"].GetProperty("loginErrorCode").ValueKind);
        Assert.Equal("Ann", accounts["acc-a"].GetProperty("displayName").GetString());
        Assert.Equal("ann@example.com", accounts["acc-a"].GetProperty("email").GetString());
        Assert.Empty(accounts["acc-d"].GetProperty("health").EnumerateArray());
    }

    [Fact]
    public async Task ListAccounts_Filters_ByLoginStateHealthAndTheDeprecatedState()
    {
        await SeedAsync();

        Assert.Equal(["acc-b"], await IdsAsync("/api/accounts?loginState=LoginFailed"));
        Assert.Equal(["acc-b", "acc-a"], await IdsAsync("/api/accounts?health=RateLimited"));
        Assert.Equal(["acc-c"], await IdsAsync("/api/accounts?health=restricted"));
        Assert.Equal(["acc-d"], await IdsAsync("/api/accounts?health=Healthy"));
        Assert.Equal(["acc-a", "acc-d"], await IdsAsync("/api/accounts?state=Connected"));
        Assert.Equal(["acc-a"], await IdsAsync("/api/accounts?loginState=Connected&health=RateLimited"));
        Assert.Empty(await IdsAsync("/api/accounts?health=BudgetSpent"));

        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Http.GetAsync("/api/accounts?loginState=RateLimited")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Http.GetAsync("/api/accounts?health=Sleepy")).StatusCode);
    }

    [Fact]
    public async Task Ingest_LateOutcomeOfAnOlderLogin_DoesNotOverrideTheNewerOne()
    {
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"login-old","account_id":"acc-e","message":"code"}""");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"login-new","account_id":"acc-e","message":"code"}""");
        await PostAsync("""{"status":"WRONG_PASSWORD","request_id":"login-old","account_id":"acc-e"}""");

        var e = (await GetJsonAsync("/api/accounts/acc-e")).GetProperty("account");
        Assert.Equal("PinRequired", e.GetProperty("loginState").GetString());
        Assert.Equal("login-new", e.GetProperty("pendingPin").GetProperty("requestId").GetString());

        // An outcome of the newer one still counts.
        await PostAsync("""{"status":"SUCCESS","request_id":"login-new","account_id":"acc-e","result":{"first_name":"Eve","premium":false}}""");
        Assert.Equal("Connected", (await GetJsonAsync("/api/accounts/acc-e")).GetProperty("account").GetProperty("loginState").GetString());
    }
}
