using System.Net;
using WeLink.Dashboard.IntegrationTests.Security;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>Hand-edited query strings that once reached a 500: each answers 400 or renders, over real HTTP.</summary>
public sealed class BadQueryTests : IDisposable
{
    private readonly DashboardApp _app;

    public BadQueryTests()
    {
        _app = DashboardApp.StartInTempDirectory();
    }

    public void Dispose() => _app.Dispose();

    private async Task SeedAsync()
    {
        var body = WebhookSigner.Sign("""{"status":"FAILED","request_id":"bad-1","error":"PROFILE_NOT_FOUND"}""", DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostWebhookAsync(body, "/webhooks/welink/CONNECTION_FAILED?account=acc-1")).StatusCode);
        // Indexed for search, so the search index is part of what is asked.
        // (PostgreSQL searches the events' own trigram index: nothing to wait for.)
        if (!_app.OnPostgreSql)
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(_app.SearchIndexScalar<long>("SELECT COUNT(*) FROM EventSearch") > 0), TimeSpan.FromSeconds(15)));
    }

    [Theory]
    [InlineData("/api/events?q=ab%00c")]
    [InlineData("/api/events?q=%00%00%00")]
    [InlineData("/api/events/export?format=csv&q=PRO%00FILE")]
    [InlineData("/api/events/export?format=ndjson&q=PRO%00FILE")]
    [InlineData("/api/stats/errors?since=0001-01-01")]
    [InlineData("/api/stats/errors?until=0001-01-01")]
    [InlineData("/api/stats/errors?since=0001-01-01&until=9999-12-31")]
    [InlineData("/api/stats/errors?until=9999-12-31T23:59:59Z")]
    [InlineData("/api/stats/connections?since=0001-01-01")]
    [InlineData("/api/stats/connections?until=0001-01-01")]
    [InlineData("/api/stats/connections?since=0001-01-01&until=9999-12-31")]
    public async Task Api_HostileQuery_Answers400(string path)
    {
        await SeedAsync();

        var response = await _app.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/events?event=abc")]
    [InlineData("/events?event=99999999999999999999999")]
    [InlineData("/events?q=ab%00cd")]
    [InlineData("/errors?since=0001-01-01&until=9999-12-31")]
    [InlineData("/errors?until=0001-01-01")]
    [InlineData("/errors?since=9999-12-31")]
    [InlineData("/connections?since=0001-01-01&until=9999-12-31")]
    [InlineData("/connections?until=0001-01-01")]
    [InlineData("/connections?since=9999-12-31")]
    public async Task Page_HostileQuery_Renders(string path)
    {
        await SeedAsync();
        using var browser = SignInFlow.For(_app);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        var response = await browser.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("An error has occurred", html);
        if (path.Contains("%00")) Assert.Contains("must not contain a NUL character", html);
    }
}
