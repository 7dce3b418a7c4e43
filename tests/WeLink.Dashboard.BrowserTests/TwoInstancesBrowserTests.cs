using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>
/// A page open on instance A updates from a webhook that landed on instance B: two dashboards on one
/// PostgreSQL database and one Redis (the private servers of ./run-tests.sh), the browser on A only.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class TwoInstancesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task EventLog_OnA_ShowsAWebhookPostedToB_WithoutReload()
    {
        using var database = new PostgresTestDatabase();
        var redis = new RedisTestServer();
        var settings = redis.DashboardSettings(database);
        await using var stack = await DashboardStack.StartAsync(browser.Browser, settings: settings);
        settings["Dashboard:AdminPassword"] = DashboardStack.AdminPassword;
        using var b = DashboardApp.StartInTempDirectory(settings: settings);

        var page = stack.Page;
        await stack.OpenAsync("/events");
        // A marker in the window: it disappears if the page reloads.
        await page.EvaluateAsync("() => { window.__welinkNoReload = 'still-here'; }");

        var response = await b.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"two-page-on-b","result":{"connected":true}}""",
            "/webhooks/welink?account=acc-two");
        response.EnsureSuccessStatusCode();

        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "two-page-on-b" })).ToHaveCountAsync(1);
        Assert.Equal("still-here", await page.EvaluateAsync<string?>("() => window.__welinkNoReload ?? null"));
    }
}
