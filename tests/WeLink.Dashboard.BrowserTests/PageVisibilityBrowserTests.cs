using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>A live page in a background tab holds its reloads, in a real Chromium against the real dashboard.</summary>
public sealed class PageVisibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// What the browser does when the operator switches tabs: the document's visibility changes and
    /// <c>visibilitychange</c> fires. Headless Chromium never hides a page by itself, so the state is set here;
    /// then waits until the circuit has taken the dashboard script's report.
    /// </summary>
    private static async Task SetTabShownAsync(IPage page, bool shown)
    {
        await page.EvaluateAsync("""
            shown => {
                Object.defineProperty(document, "visibilityState", { configurable: true, get: () => shown ? "visible" : "hidden" });
                document.dispatchEvent(new Event("visibilitychange"));
            }
            """, shown);
        await page.EvaluateAsync("() => window.welinkDashboardVisibilityReported");
    }

    private static async Task PostAsync(DashboardStack stack, string requestId)
    {
        var response = await stack.App.PostSignedWebhookAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}""",
            "/webhooks/welink?account=acc-1");
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task EventLog_TabHidden_NewEventWaits_ShownOnceTheTabIsShown()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await stack.OpenAsync("/events");
        await PostAsync(stack, "shown-0");
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "shown-0" })).ToHaveCountAsync(1);

        await SetTabShownAsync(page, false);
        await PostAsync(stack, "hidden-1");

        // Shown, the live tail has it within a second (its reloads are at most half a second apart). Hidden, not.
        var arrived = page.Locator("table tbody tr").Filter(new() { HasText = "hidden-1" });
        await Assert.ThrowsAsync<TimeoutException>(() => arrived.WaitForAsync(new() { Timeout = 3_000 }));

        await SetTabShownAsync(page, true);

        await Expect(arrived).ToHaveCountAsync(1);
    }
}
