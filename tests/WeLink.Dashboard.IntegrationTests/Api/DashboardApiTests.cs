using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>/api/* over real HTTP, served by the same query services as the pages.</summary>
public sealed class DashboardApiTests : IDisposable
{
    private const string Token = "api-tests-admin-token-0123456789";
    private readonly DashboardApp _app;

    public DashboardApiTests()
    {
        _app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?>
        {
            ["Dashboard:ApiTokens:0:Name"] = "api-tests",
            ["Dashboard:ApiTokens:0:Token"] = Token,
            ["Dashboard:ApiTokens:0:Role"] = "Admin",
        });
        _app.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public void Dispose() => _app.Dispose();

    private async Task PostAsync(string json, string path = "/webhooks/welink") =>
        Assert.Equal(HttpStatusCode.OK, (await _app.PostSignedWebhookAsync(json, path)).StatusCode);

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await _app.Http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private async Task SeedAsync()
    {
        for (var i = 0; i < 7; i++)
            await PostAsync($$$"""{"status":"SUCCESS","request_id":"c-{{{i}}}","result":{"connected":true,"profile_id":"P{{{i}}}"}}""", "/webhooks/welink?account=acc-1");
        await PostAsync("""{"status":"FAILED","request_id":"c-f1","error":"PROFILE_NOT_FOUND"}""", "/webhooks/welink/CONNECTION_FAILED?account=acc-1");
        await PostAsync("""{"status":"FAILED","request_id":"c-f2","error":"STATUS_429"}""", "/webhooks/welink/CONNECTION_FAILED?account=acc-2");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"login-9","message":"Please provide the code"}""", "/webhooks/welink?account=acc-2");
        await PostAsync("""{"status":"FAILED","request_id":"m-1","error":"SESSION_EXPIRED","message":"Zoë's session <b>expired</b>"}""");
    }

    [Fact]
    public async Task Events_FilterAndCursorPaging_WalkEveryMatchOnce()
    {
        await SeedAsync();
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync($"/api/events?type=CONNECTION_SENT&account=acc-1&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.All(items, e => Assert.Equal("CONNECTION_SENT", e.GetProperty("eventType").GetString()));
            seen.AddRange(items.Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.OrderByDescending(id => id), seen);
        Assert.Equal(7, seen.Distinct().Count());
    }

    [Fact]
    public async Task Events_FreeTextAndErrorCode_Filter()
    {
        await SeedAsync();
        var byText = await GetJsonAsync("/api/events?q=zo%C3%AB");
        Assert.Single(byText.GetProperty("items").EnumerateArray());
        var byCode = await GetJsonAsync("/api/events?errorCode=STATUS_429");
        Assert.Equal("acc-2", byCode.GetProperty("items")[0].GetProperty("accountId").GetString());
        var unattributed = await GetJsonAsync("/api/events?account=(unattributed)");
        Assert.Equal("m-1", unattributed.GetProperty("items")[0].GetProperty("requestId").GetString());
    }

    // SQLite only: the FTS5 index catching up.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Events_FreeText_FindsIndexedAndNotYetIndexedEvents()
    {
        await SeedAsync();
        var indexed = await Eventually.HoldsAsync(
            () => Task.FromResult(_app.SearchIndexScalar<long>("SELECT COUNT(*) FROM EventSearch") == _app.Scalar<long>("SELECT COUNT(*) FROM Events")),
            TimeSpan.FromSeconds(20));
        Assert.True(indexed, "the search index did not catch up with the log");

        // Posted after indexing: found by the scan of the newest events until the indexer takes it.
        await PostAsync("""{"status":"FAILED","request_id":"m-2","error":"SESSION_EXPIRED","message":"Zoë again"}""");
        var both = await GetJsonAsync("/api/events?q=Zo%C3%AB");
        Assert.Equal(new[] { "m-2", "m-1" }, both.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("requestId").GetString()!).ToArray());

        var substring = await GetJsonAsync("/api/events?q=" + Uri.EscapeDataString("ssion <b>EXP"));
        Assert.Equal("m-1", Assert.Single(substring.GetProperty("items").EnumerateArray()).GetProperty("requestId").GetString());
        var quoted = await GetJsonAsync("/api/events?q=" + Uri.EscapeDataString("\"status\":\"PIN_REQUIRED"));
        Assert.Equal("login-9", Assert.Single(quoted.GetProperty("items").EnumerateArray()).GetProperty("requestId").GetString());
    }

    [Theory]
    [InlineData("/api/events?limit=0")]
    [InlineData("/api/events?limit=100000")]
    [InlineData("/api/events?cursor=abc")]
    [InlineData("/api/events?since=not-a-date")]
    [InlineData("/api/events/export?format=xml")]
    [InlineData("/api/accounts?state=Sleeping")]
    public async Task Api_BadParameters_400NotServerError(string url)
    {
        var response = await _app.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Event_ById_HasRawBodyAndVerification()
    {
        await SeedAsync();
        var list = await GetJsonAsync("/api/events?errorCode=SESSION_EXPIRED");
        var id = list.GetProperty("items")[0].GetProperty("id").GetInt64();
        var detail = await GetJsonAsync($"/api/events/{id}");
        Assert.Contains("<b>expired</b>", detail.GetProperty("rawBody").GetString());
        Assert.Equal("VerifiedNode", detail.GetProperty("summary").GetProperty("signature").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Http.GetAsync("/api/events/999999")).StatusCode);
    }

    [Fact]
    public async Task Export_CsvAndNdjson_StreamEveryMatchingEvent()
    {
        await SeedAsync();
        var csv = await _app.Http.GetAsync("/api/events/export?format=csv&account=acc-1");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,receivedAt,eventType", lines[0]);
        Assert.Equal(1 + 8, lines.Length);

        var ndjson = await _app.Http.GetAsync("/api/events/export?format=ndjson&type=CONNECTION_FAILED");
        var records = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal("FAILED", r.GetProperty("body").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Accounts_Pins_Stats_FromProjections()
    {
        await SeedAsync();
        var accounts = await GetJsonAsync("/api/accounts");
        var acc2 = accounts.EnumerateArray().Single(a => a.GetProperty("accountId").GetString() == "acc-2");
        Assert.Equal("PinRequired", acc2.GetProperty("state").GetString());
        Assert.Equal("login-9", acc2.GetProperty("pendingPin").GetProperty("requestId").GetString());
        Assert.Single((await GetJsonAsync("/api/accounts?state=PinRequired")).EnumerateArray());

        var pins = await GetJsonAsync("/api/pins");
        Assert.Equal("login-9", pins[0].GetProperty("requestId").GetString());

        var errors = await GetJsonAsync("/api/stats/errors");
        var codes = errors.GetProperty("codes").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["PROFILE_NOT_FOUND"] = 1, ["STATUS_429"] = 1, ["SESSION_EXPIRED"] = 1 }, codes);
        // Over 30 days the breakdown is read from the daily error rollup: the same counts.
        var monthAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O"));
        var month = await GetJsonAsync("/api/stats/errors?since=" + monthAgo);
        Assert.Equal(codes, month.GetProperty("codes").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("count").GetInt64()));
        Assert.Equal(3, month.GetProperty("byAccount").GetArrayLength());
        var acc1Errors = await GetJsonAsync("/api/stats/errors?account=acc-1");
        Assert.Equal(1, acc1Errors.GetProperty("total").GetInt64());

        var connections = await GetJsonAsync("/api/stats/connections");
        Assert.Equal(7, connections.GetProperty("sent").GetInt64());
        Assert.Equal(2, connections.GetProperty("failed").GetInt64());
        var perAccount = connections.GetProperty("perAccount").EnumerateArray().Single(a => a.GetProperty("accountId").GetString() == "acc-1");
        Assert.Equal(7.0 / 8, perAccount.GetProperty("successRate").GetDouble(), 3);
    }

    [Fact]
    public async Task Api_NamedAccount_CarriesDisplayNameAndEmailBesideTheId()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"l-1","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com","public_identifier":"priya"}}""",
            "/webhooks/welink/LOGIN_SUCCESS?account=acc-1");
        await SeedAsync();
        static void Named(JsonElement e)
        {
            Assert.Equal("acc-1", e.GetProperty("accountId").GetString());
            Assert.Equal("Priya Kowalski", e.GetProperty("displayName").GetString());
            Assert.Equal("priya@example.com", e.GetProperty("email").GetString());
        }
        static void Unnamed(JsonElement e)
        {
            Assert.Equal("acc-2", e.GetProperty("accountId").GetString());
            Assert.Equal(JsonValueKind.Null, e.GetProperty("displayName").ValueKind);
            Assert.Equal(JsonValueKind.Null, e.GetProperty("email").ValueKind);
        }

        var events = (await GetJsonAsync("/api/events?type=CONNECTION_FAILED")).GetProperty("items").EnumerateArray().ToList();
        Named(events.Single(e => e.GetProperty("accountId").GetString() == "acc-1"));
        Unnamed(events.Single(e => e.GetProperty("accountId").GetString() == "acc-2"));
        var one = await GetJsonAsync($"/api/events/{events.First(e => e.GetProperty("accountId").GetString() == "acc-1").GetProperty("id").GetInt64()}");
        Named(one.GetProperty("summary"));

        var errors = (await GetJsonAsync("/api/stats/errors")).GetProperty("byAccount").EnumerateArray().ToList();
        Named(errors.Single(e => e.GetProperty("accountId").GetString() == "acc-1"));
        Unnamed(errors.Single(e => e.GetProperty("accountId").GetString() == "acc-2"));

        var connections = (await GetJsonAsync("/api/stats/connections")).GetProperty("perAccount").EnumerateArray().ToList();
        Named(connections.Single(e => e.GetProperty("accountId").GetString() == "acc-1"));
        Unnamed(connections.Single(e => e.GetProperty("accountId").GetString() == "acc-2"));

        Unnamed((await GetJsonAsync("/api/pins"))[0]);

        var csv = (await _app.Http.GetStringAsync("/api/events/export?format=csv&type=CONNECTION_FAILED&account=acc-1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,receivedAt,eventType,typeSource,accountId,displayName,email,", csv[0]);
        Assert.Contains(",acc-1,Priya Kowalski,priya@example.com,", csv[1]);
        var ndjson = (await _app.Http.GetStringAsync("/api/events/export?format=ndjson&type=CONNECTION_FAILED&account=acc-1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Named(JsonDocument.Parse(Assert.Single(ndjson)).RootElement);
    }

    [Fact]
    public async Task Api_PendingPinOfNamedAccount_CarriesItsName()
    {
        await PostAsync("""{"status":"SUCCESS","request_id":"l-2","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com","public_identifier":"priya"}}""",
            "/webhooks/welink/LOGIN_SUCCESS?account=acc-2");
        await PostAsync("""{"status":"PIN_REQUIRED","request_id":"login-9","message":"Please provide the code"}""", "/webhooks/welink?account=acc-2");
        var pin = (await GetJsonAsync("/api/pins"))[0];
        Assert.Equal("acc-2", pin.GetProperty("accountId").GetString());
        Assert.Equal("Priya Kowalski", pin.GetProperty("displayName").GetString());
        Assert.Equal("priya@example.com", pin.GetProperty("email").GetString());
        Assert.False(pin.TryGetProperty("account", out _));
    }

    [Fact]
    public async Task RegisteredRequest_AttributesAndTypesItsWebhook()
    {
        var registered = await _app.Http.PostAsJsonAsync("/api/requests", new { requestId = "ext-1", accountId = "acc-ext", action = "connect" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var invalid = await _app.Http.PostAsJsonAsync("/api/requests", new { requestId = "ext-2", action = "dance" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        await PostAsync("""{"status":"FAILED","request_id":"ext-1","error":"PROFILE_NOT_FOUND"}""");
        var stored = await GetJsonAsync("/api/events?account=acc-ext");
        var item = stored.GetProperty("items")[0];
        Assert.Equal("CONNECTION_FAILED", item.GetProperty("eventType").GetString());
        Assert.Equal("Correlated", item.GetProperty("typeSource").GetString());
    }

    [Fact]
    public async Task OpenApi_DocumentListsTheRoutes()
    {
        var document = await GetJsonAsync("/api/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var route in new[] { "/api/events", "/api/events/{id}", "/api/events/export", "/api/accounts", "/api/pins", "/api/pins/{requestId}", "/api/stats/errors", "/api/stats/connections", "/api/requests" })
            Assert.Contains(route, paths);
    }
}
