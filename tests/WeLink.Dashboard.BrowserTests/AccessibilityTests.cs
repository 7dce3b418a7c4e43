using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>
/// axe-core's WCAG 2.0/2.1 A and AA rules over the sign-in page and every signed-in page, with the
/// event-detail drawer and a PIN card open, in the light and the dark theme: no serious or critical
/// violation anywhere.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Waits until MudBlazor applied the wanted theme: the page's background is dark or light.</summary>
    private static Task WaitForThemeAsync(IPage page, bool dark) => page.WaitForFunctionAsync(
        """
        dark => {
          const m = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g);
          if (!m) return false;
          const [r, g, b] = m.map(Number);
          const light = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
          return dark ? light < 0.35 : light > 0.65;
        }
        """, dark);

    private static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe(WcagAa);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}, {v.Nodes.Length} nodes) {v.Help}\n    "
                + string.Join("\n    ", v.Nodes.Take(4).Select(n => $"{n.Html} :: {string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Select(c => c.Message))}")))
            .ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryPage_AxeWcag21AA_NoSeriousOrCriticalViolations(bool dark)
    {
        var theme = dark ? "dark" : "light";
        void Configure(BrowserNewContextOptions o)
        {
            // axe is injected as a script; the dashboard's CSP would (rightly) refuse it.
            o.BypassCSP = true;
            o.ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light;
        }
        var violations = new List<string>();

        await using (var signedOut = await DashboardStack.StartAsync(browser.Browser, Configure, signIn: false))
        {
            await signedOut.Page.GotoAsync("/signin");
            await Expect(signedOut.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
            violations.AddRange(await SeriousViolationsAsync(signedOut.Page, $"/signin [{theme}]"));
        }

        await using var stack = await DashboardStack.StartAsync(browser.Browser, Configure);
        var report = await new WeLink.Emulator.Traffic.TrafficSender().RunAsync(new WeLink.Emulator.Traffic.SendOptions
        {
            Target = new Uri(stack.App.BaseAddress, "/webhooks/welink"),
            Secret = DashboardApp.Secret,
            Count = 200,
            Concurrency = 4,
            Accounts = 6,
        }, CancellationToken.None);
        Assert.Equal(report.Events, report.UniqueAcknowledged);
        var page = stack.Page;

        foreach (var path in new[] { "/", "/accounts", "/accounts/acc-001", "/connections", "/errors", "/events", "/admin/operators" })
        {
            await stack.OpenAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
            await WaitForThemeAsync(page, dark);
            violations.AddRange(await SeriousViolationsAsync(page, $"{path} [{theme}]"));
        }

        // The event-detail drawer, opened by a click as an operator would.
        await stack.OpenAsync("/events");
        await page.Locator("table tbody tr").First.GetByTestId("row-type").ClickAsync();
        await Expect(page.GetByTestId("event-detail")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("raw-body")).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page, $"/events drawer [{theme}]"));

        // A PIN card waiting for its PIN.
        await stack.OpenAsync("/pins");
        await stack.StartLoginAsync("acc-005@example.test");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "PIN for" }).First).ToBeVisibleAsync();
        await WaitForThemeAsync(page, dark);
        // The "PIN required" snackbar fades in and out, so axe reads blended, half-transparent colours
        // from it. Its colours are the warning palette's, checked on the app bar's "PINs waiting"
        // button on every page: take it off the page before checking the card.
        await Expect(page.Locator(".mud-snackbar").First).ToBeVisibleAsync();
        await page.EvaluateAsync("() => document.querySelectorAll('.mud-snackbar').forEach(s => s.remove())");
        violations.AddRange(await SeriousViolationsAsync(page, $"/pins card [{theme}]"));

        Assert.True(violations.Count == 0, $"{violations.Count} serious or critical axe violations:\n" + string.Join("\n", violations));
    }
}
