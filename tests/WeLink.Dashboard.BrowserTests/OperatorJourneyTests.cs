using System.Text;
using Microsoft.Playwright;
using WeLink.Webhooks;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>What an operator does in a real Chromium, against the real dashboard and the real emulator over HTTP.</summary>
public sealed class OperatorJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // The longest PIN there is: six digits turn up by chance among the logs' seven-digit timestamp fractions,
    // fifteen-digit durations and hex trace ids (once in a few dozen runs), eight almost never.
    private const string Pin = "91827364";

    private static async Task PostAsync(DashboardStack stack, string json, string query)
    {
        var response = await stack.App.PostSignedWebhookAsync(json, "/webhooks/welink" + query);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What a LOGIN_SUCCESS tells the dashboard: the account's name and e-mail.</summary>
    private static Task NameAsync(DashboardStack stack, string account, string first, string last) =>
        PostAsync(stack, $$$"""{"status":"SUCCESS","request_id":"login-{{{account}}}","result":{"first_name":"{{{first}}}","last_name":"{{{last}}}","email":"{{{first.ToLowerInvariant()}}}@example.test","public_identifier":"p-{{{account}}}"}}""",
            $"/LOGIN_SUCCESS?account={account}");

    /// <summary>A marker in the window: it survives client-side navigation and disappears on a reload.</summary>
    private static Task MarkWindowAsync(IPage page) => page.EvaluateAsync("() => { window.__welinkNoReload = 'still-here'; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal("still-here", await page.EvaluateAsync<string?>("() => window.__welinkNoReload ?? null"));

    [Fact]
    public async Task PinInbox_RequestArrivesPinSubmittedOutcomeShown_AllWithoutReload()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await stack.OpenAsync("/pins");
        await MarkWindowAsync(page);

        var requestId = await stack.StartLoginAsync("acc-001@example.test");
        // The card names the account as known (its e-mail from We-Link's list, or its id); after the
        // login it carries the person's name, so it is found by its request id.
        var card = page.Locator($"[data-request-id='{requestId}']");
        await Expect(card).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^PIN request for acc-001"));
        var box = card.GetByRole(AriaRole.Textbox, new() { Name = "PIN for acc-001" });
        await Expect(box).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "pins");

        await box.FillAsync(Pin);
        await card.GetByRole(AriaRole.Button, new() { Name = "Submit PIN for acc-001" }).ClickAsync();

        var call = await stack.WeLink.WaitForLoginCodeAsync(c => c.RequestId == requestId, TimeSpan.FromSeconds(15));
        Assert.Equal("acc-001", call.AccountId);
        Assert.Equal(Pin, call.Code);

        // The emulator posts LOGIN_SUCCESS back; the card shows the outcome, the account is Connected.
        await Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Connected");
        await Screenshots.SaveAsync(page, "pins-connected");
        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        // The row shows the account by name; its id is on the label.
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("[data-account-id='acc-001']") })).ToContainTextAsync("Connected");
        await AssertNotReloadedAsync(page);
        Assert.Single(stack.WeLink.LoginCodes, c => c.RequestId == requestId);

        // The PIN's digits are nowhere on disk: not in the database (nor its WAL) nor in any log.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(stack.App.Directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".log", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Encoding.UTF8.GetString(bytes).Contains(Pin, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds the PIN");
        }
    }

    [Fact]
    public async Task EventLog_DeepLinkShowsExactlyTheFilteredRows_BackButtonRestoresFilter()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        await NameAsync(stack, "acc-1", "Priya", "Kowalski");
        for (var i = 0; i < 3; i++)
            await PostAsync(stack, $$$"""{"status":"SUCCESS","request_id":"deep-c{{{i}}}","result":{"connected":true,"profile_id":"T{{{i}}}"}}""", "?account=acc-1");
        for (var i = 0; i < 2; i++)
            await PostAsync(stack, $$$"""{"status":"SUCCESS","request_id":"deep-o{{{i}}}","result":{"connected":true}}""", "?account=acc-2");
        await PostAsync(stack, """{"status":"SUCCESS","request_id":"deep-m0","result":{"sent":true}}""", "/MESSAGE_SENT?account=acc-1");

        var page = stack.Page;
        await stack.OpenAsync("/events?type=CONNECTION_SENT&account=acc-1");
        var rows = page.Locator("table tbody tr").Filter(new() { HasText = "deep-" });
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var row in await rows.AllAsync())
        {
            await Expect(row).ToContainTextAsync("CONNECTION_SENT");
            await Expect(row).ToContainTextAsync("Priya Kowalski");
            await Expect(row.GetByTestId("account-label")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("acc-1$"));
        }
        await Screenshots.SaveAsync(page, "events");

        // Open one event's detail panel for the screenshot: payload, derivation, signature.
        // On the type, not the middle of the row: the account's name there is a link of its own.
        await rows.First.GetByTestId("row-type").ClickAsync();
        var detail = page.GetByTestId("event-detail");
        await Expect(detail.GetByTestId("signature")).ToHaveTextAsync("verified");
        await Expect(detail.GetByTestId("type-source")).ToBeVisibleAsync();
        await Expect(detail.GetByTestId("raw-body")).ToContainTextAsync("\"request_id\":\"deep-");
        await Screenshots.SaveAsync(page, "event-detail");
        await page.Keyboard.PressAsync("Escape");

        var search = page.GetByLabel("Search payload");
        await search.FillAsync("deep-c1");
        await search.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("q=deep-c1", StringComparison.Ordinal));
        await Expect(rows).ToHaveCountAsync(1);

        await page.GoBackAsync();
        await page.WaitForURLAsync(url => !url.Contains("q=", StringComparison.Ordinal));
        await Expect(rows).ToHaveCountAsync(3);
        Assert.Contains("type=CONNECTION_SENT", page.Url);
        Assert.Contains("account=acc-1", page.Url);
    }

    [Fact]
    public async Task Errors_BreakdownEqualsTheEventsPosted()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        await NameAsync(stack, "acc-1", "Jürgen", "Åberg");
        var posted = new Dictionary<string, int> { ["STATUS_429"] = 3, ["PROFILE_NOT_FOUND"] = 2, ["SESSION_EXPIRED"] = 1 };
        var n = 0;
        foreach (var (code, count) in posted)
        {
            for (var i = 0; i < count; i++)
                await PostAsync(stack, $$$"""{"status":"FAILED","request_id":"err-{{{n++}}}","error":"{{{code}}}"}""", $"/CONNECTION_FAILED?account=acc-{i % 2 + 1}");
        }

        var page = stack.Page;
        await stack.OpenAsync("/errors");
        foreach (var (code, count) in posted)
        {
            var cell = page.Locator($"tr[data-code='{code}']").GetByTestId("code-count");
            await Expect(cell).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Screenshots.SaveAsync(page, "errors");

        await Expect(page.GetByTestId("errors-total")).ToContainTextAsync("6 errors");
        await page.Locator("tr[data-code='STATUS_429']").GetByTestId("code-link").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/events", StringComparison.Ordinal) && url.Contains("errorCode=STATUS_429", StringComparison.Ordinal));
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "err-" })).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task EveryPage_RendersLiveData_Screenshots()
    {
        // A small action budget, so the gateway traffic below fills the gauges and spends one account's budget.
        await using var stack = await DashboardStack.StartAsync(browser.Browser, settings: new Dictionary<string, string?> { ["Gateway:ActionsPerHour"] = "20" });
        var report = await new WeLink.Emulator.Traffic.TrafficSender().RunAsync(new WeLink.Emulator.Traffic.SendOptions
        {
            Target = new Uri(stack.App.BaseAddress, "/webhooks/welink"),
            Secret = DashboardApp.Secret,
            Count = 400,
            Concurrency = 8,
            Accounts = 8,
        }, CancellationToken.None);
        Assert.Equal(report.Events, report.UniqueAcknowledged);
        var gateway = await new WeLink.Emulator.Traffic.GatewayTraffic().RunAsync(new WeLink.Emulator.Traffic.GatewayTrafficOptions
        {
            Gateway = new Uri(stack.App.BaseAddress, "/welink"), ApiKey = DashboardStack.ApiKey, ApiSecret = DashboardStack.ApiSecret,
            Count = 60, Concurrency = 4, Accounts = 3, Seed = 5,
        }, CancellationToken.None);
        Assert.Equal(60, gateway.Answered2xx);

        var page = stack.Page;
        foreach (var (path, name, heading) in new (string, string, string?)[]
        {
            ("/", "overview", "Overview"),
            ("/accounts", "accounts", "Accounts"),
            ("/accounts/acc-001", "account-detail", null),
            ("/connections", "connections", "Connections"),
            ("/admin/operators", "operators", "Operators"),
        })
        {
            await stack.OpenAsync(path);
            // The account's heading is its name, whatever the traffic called it.
            await Expect(page.GetByRole(AriaRole.Heading, heading is null ? new() { Level = 1 } : new() { Name = heading }).First).ToBeVisibleAsync();
            if (path == "/accounts")
            {
                await Expect(page.Locator("td[data-label='Actions, last hour'] [data-budget='actions']").First).ToBeVisibleAsync();
                await Expect(page.GetByTestId("account-label").First).ToBeVisibleAsync();
            }
            await Screenshots.SaveAsync(page, name);
        }

        // Live: an event posted now shows up on the open overview without a reload.
        await stack.OpenAsync("/");
        await MarkWindowAsync(page);
        await stack.StartLoginAsync("acc-002@example.test");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Pending PIN requests" })).ToContainTextAsync("1");
        await Expect(page.GetByTestId("waiting-accounts")).ToBeVisibleAsync();
        await AssertNotReloadedAsync(page);
        // The overview as an operator meets it: someone waiting for a PIN, named.
        await Screenshots.SaveAsync(page, "overview");

        await page.GotoAsync("/signin");
        await Screenshots.SaveAsync(page, "signin");
    }
}
