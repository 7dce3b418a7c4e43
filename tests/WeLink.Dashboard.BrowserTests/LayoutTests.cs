using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>What an operator sees of the layout at a common desktop width.</summary>
public sealed class LayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task PostAsync(DashboardStack stack, string json, string query) =>
        (await stack.App.PostSignedWebhookAsync(json, "/webhooks/welink" + query)).EnsureSuccessStatusCode();

    [Fact]
    public async Task EventLog_At1440_EveryRowIsOneLine()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser, o => o.ViewportSize = new ViewportSize { Width = 1440, Height = 900 });
        // Long ids and names are what used to wrap the account cell onto three lines.
        const string named = "6df95e3c-b9a6-42b6-9c1e-7d0a8b4c2f11";
        const string bare = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        await PostAsync(stack, """{"status":"SUCCESS","request_id":"l-1","result":{"first_name":"Maëlle-Éléonore","last_name":"Ní Bhriain-Kowalczyk","email":"maelle.eleonore.ni-bhriain@example-fleet.test","public_identifier":"m"}}""",
            $"/LOGIN_SUCCESS?account={named}");
        for (var i = 0; i < 6; i++)
        {
            await PostAsync(stack, $$$"""{"status":"FAILED","request_id":"r-{{{i}}}","error":"INVITATION_LIMIT_REACHED","message":"The weekly invitation limit was reached for this account, try again next week"}""",
                $"/CONNECTION_FAILED?account={(i % 2 == 0 ? named : bare)}");
        }

        await stack.OpenAsync("/events");
        var rows = stack.Page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(7);
        var heights = await rows.EvaluateAllAsync<double[]>("rows => rows.map(r => r.getBoundingClientRect().height)");
        var lineHeight = await stack.Page.Locator("table tbody tr td").First.EvaluateAsync<double>(
            "td => parseFloat(getComputedStyle(td).lineHeight) || 20");
        // One line of text plus the cell's padding; a second line would add a whole line height.
        Assert.All(heights, h => Assert.True(h < heights.Min() + lineHeight / 2, $"row heights {string.Join(", ", heights)} (line {lineHeight})"));
        Assert.True(heights.Max() < 2 * lineHeight + 16, $"row heights {string.Join(", ", heights)} (line {lineHeight})");
    }

    [Fact]
    public async Task Navigation_HeadingGetsFocusWithoutAVisibleBox()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await stack.OpenAsync("/");
        // Keyboard use is what makes browsers draw focus boxes: navigate with the keyboard.
        var errors = page.GetByRole(AriaRole.Link, new() { Name = "Errors", Exact = true });
        await errors.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/errors", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Errors", Level = 1 })).ToBeFocusedAsync();
        var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
        Assert.True(outline.StartsWith("none", StringComparison.Ordinal) || outline.EndsWith(" 0px", StringComparison.Ordinal), $"the focused heading has outline '{outline}'");
    }
}
