using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>Live tables change their rows in place, in a real Chromium against the real dashboard.</summary>
public sealed class LiveRowsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task PostAsync(DashboardStack stack, string requestId, string account)
    {
        var response = await stack.App.PostSignedWebhookAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}""",
            $"/webhooks/welink?account={account}");
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Accounts_LiveEventForTheFocusedRow_RowUpdatedInPlace_FocusStays()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await PostAsync(stack, "row-1", "acc-1");
        await PostAsync(stack, "row-2", "acc-2");
        await stack.OpenAsync("/accounts");
        var row = page.Locator("tr").Filter(new() { Has = page.Locator("[data-account-id='acc-1']") });
        var events = row.Locator("td[data-label='Events']");
        await Expect(events).ToHaveTextAsync("1");

        // An operator tabbed to the row's copy button; the row element is marked to tell it from a rebuilt one.
        await row.Locator("button.wl-account-copy").FocusAsync();
        await row.EvaluateAsync("tr => tr.dataset.probe = 'kept'");

        await PostAsync(stack, "row-3", "acc-1");

        await Expect(events).ToHaveTextAsync("2");
        Assert.Equal("kept", await row.GetAttributeAsync("data-probe"));
        Assert.Equal("acc-1", await page.EvaluateAsync<string?>("() => document.activeElement?.closest('[data-account-id]')?.dataset.accountId ?? null"));
    }
}
