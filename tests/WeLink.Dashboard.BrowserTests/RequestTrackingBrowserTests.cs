using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>The Requests page in a real Chromium, against the real dashboard over HTTP.</summary>
public sealed class RequestTrackingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task RequestsPage_RequestRegisteredThenItsWebhook_GoesWaitingToDoneLive()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await stack.OpenAsync("/requests");
        await page.EvaluateAsync("() => { window.__welinkNoReload = 'still-here'; }");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Requests", Exact = true, Level = 1 })).ToBeVisibleAsync();

        const string requestId = "req-browser-5e2a";
        using var operatorClient = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using (var created = await operatorClient.PostAsJsonAsync("/api/requests", new { requestId, accountId = "acc-002", action = "connect" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = requestId });
        await Expect(row).ToContainTextAsync("Waiting");
        await Expect(row.GetByRole(AriaRole.Cell, new() { Name = "tests-operator", Exact = true })).ToBeVisibleAsync();

        using (var webhook = await stack.App.PostSignedWebhookAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}"""))
            webhook.EnsureSuccessStatusCode();

        await Expect(row).ToContainTextAsync("Done");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("event="));
        Assert.Equal("still-here", await page.EvaluateAsync<string?>("() => window.__welinkNoReload ?? null"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "welink-requests-page.png"), FullPage = true });
    }
}
