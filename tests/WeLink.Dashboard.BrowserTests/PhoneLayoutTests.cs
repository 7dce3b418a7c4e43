using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>
/// An alert is read on a phone: at a 390×844 touch viewport the pages an alert links to fit the
/// screen (no sideways scrolling, no value cut off), and its link leads through the sign-in to the
/// PIN card, where the PIN is submitted.
/// </summary>
public sealed class PhoneLayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Pin = "246810";

    // Long names, e-mails and codes are what used to be cut off ("CONNECTION_FAI…", "PROFILE_NOT_FO…").
    private const string LongAccount = "6df95e3c-b9a6-42b6-9c1e-7d0a8b4c2f11";

    private static void Phone(BrowserNewContextOptions o)
    {
        o.ViewportSize = new ViewportSize { Width = 390, Height = 844 };
        o.IsMobile = true;
        o.HasTouch = true;
        o.DeviceScaleFactor = 1;
    }

    private static async Task PostAsync(DashboardStack stack, string json, string query) =>
        (await stack.App.PostSignedWebhookAsync(json, "/webhooks/welink" + query)).EnsureSuccessStatusCode();

    private static async Task SeedAsync(DashboardStack stack)
    {
        await PostAsync(stack, """{"status":"SUCCESS","request_id":"l-1","result":{"first_name":"Maëlle-Éléonore","last_name":"Ní Bhriain-Kowalczyk","email":"maelle.eleonore.ni-bhriain@example-fleet.test","public_identifier":"m"}}""",
            $"/LOGIN_SUCCESS?account={LongAccount}");
        await PostAsync(stack, """{"status":"FAILED","request_id":"c-1","error":"PROFILE_NOT_FOUND","message":"The LinkedIn profile https://www.linkedin.com/in/someone-with-a-very-long-public-identifier-123456789 was not found"}""",
            $"/CONNECTION_FAILED?account={LongAccount}");
        await PostAsync(stack, """{"status":"FAILED","request_id":"c-2","error":"INVITATION_LIMIT_REACHED","message":"The weekly invitation limit was reached for this account, try again next week"}""",
            "/CONNECTION_FAILED?account=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    }

    /// <summary>
    /// What does not fit a phone: how far the page scrolls sideways, visible elements that reach past
    /// the right edge, and elements whose own text is cut off by overflow hidden or an ellipsis.
    /// </summary>
    private static async Task<IReadOnlyList<string>> LayoutProblemsAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(
            """
            () => {
              const problems = [];
              const width = window.innerWidth;
              if (document.documentElement.scrollWidth > width)
                problems.push(`page scrolls sideways: scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
              const describe = el => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`;
              const visible = el => {
                if (el.closest('[hidden], .mud-drawer--closed, .mud-popover:not(.mud-popover-open), .mud-tooltip')) return false;
                const s = getComputedStyle(el);
                if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
                const r = el.getBoundingClientRect();
                return r.width > 0 && r.height > 0;
              };
              const ownText = el => [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
              for (const el of document.body.querySelectorAll('*')) {
                if (!visible(el)) continue;
                const r = el.getBoundingClientRect();
                if (r.right > width + 0.5 && (ownText(el) || el.matches('button, a, input, [role=button]')))
                  problems.push(`past the right edge (${Math.round(r.right)} > ${width}): ${describe(el)}`);
                if (!ownText(el)) continue;
                const s = getComputedStyle(el);
                const clips = s.textOverflow === 'ellipsis' || s.overflowX === 'hidden' || s.overflowX === 'clip';
                if (clips && el.scrollWidth > el.clientWidth + 1)
                  problems.push(`text cut off (${el.scrollWidth} > ${el.clientWidth}): ${describe(el)}`);
              }
              return problems;
            }
            """);
        return problems;
    }

    private static async Task AssertFitsAsync(IPage page, string where)
    {
        var problems = await LayoutProblemsAsync(page);
        Assert.True(problems.Count == 0, $"{where}:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public async Task AlertLink_OnAPhoneSignedOut_SignInLandsOnTheCardAndThePinIsSubmitted()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser, Phone, signIn: false);
        var page = stack.Page;
        await SeedAsync(stack);
        // The emulator posts the signed PIN_REQUIRED webhook to the dashboard's real endpoint.
        var requestId = await stack.StartLoginAsync("acc-003@example.test");
        await WeLink.Testing.Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<long>($"SELECT COUNT(*) FROM PinRequests WHERE RequestId = '{requestId}'")),
            count => count == 1, TimeSpan.FromSeconds(15), "the PIN request to be stored");

        // The alert's link, opened signed out: the sign-in page keeps it, and signing in comes back to it.
        var link = $"/pins?request={Uri.EscapeDataString(requestId)}";
        await page.GotoAsync(link);
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(DashboardStack.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).TapAsync();
        await page.WaitForURLAsync(url => url.EndsWith(link, StringComparison.Ordinal),
            // Committed is enough: the interactive circuit is awaited next, and a busy machine can hold back "load".
            new() { WaitUntil = WaitUntilState.Commit });
        await stack.WaitInteractiveAsync();

        // Lands on the card: highlighted and scrolled into view, its PIN box focused.
        var card = page.Locator($"[data-request-id='{requestId}']");
        await Expect(card).ToHaveAttributeAsync("data-linked", "true");
        await Expect(card).ToBeInViewportAsync();
        var box = card.GetByRole(AriaRole.Textbox, new() { Name = "PIN for acc-003" });
        await Expect(box).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page, "pins-phone");
        await AssertFitsAsync(page, "PIN inbox at 390 px");

        await box.FillAsync(Pin);
        await card.GetByRole(AriaRole.Button, new() { Name = "Submit PIN for acc-003" }).TapAsync();
        var call = await stack.WeLink.WaitForLoginCodeAsync(c => c.RequestId == requestId, TimeSpan.FromSeconds(15));
        Assert.Equal(Pin, call.Code);
        Assert.Equal("acc-003", call.AccountId);
        await Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Connected");
    }

    [Fact]
    public async Task AppBar_OnAPhone_EveryControlIsOnScreenAndReachable()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser, Phone);
        var page = stack.Page;
        await stack.OpenAsync("/pins");
        await AssertFitsAsync(page, "App bar at 390 px");

        // What does not fit the bar is in its "More" menu: the operator, the clock format, the theme, signing out.
        await page.GetByRole(AriaRole.Button, new() { Name = "More", Exact = true }).TapAsync();
        var clock = page.GetByRole(AriaRole.Menuitem, new() { Name = "24h clock format" });
        await Expect(clock).ToBeInViewportAsync(new() { Ratio = 1 });
        await clock.TapAsync();
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "12h clock format" })).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Operators" })).ToBeInViewportAsync(new() { Ratio = 1 });
        var signOut = page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" });
        await Expect(signOut).ToBeInViewportAsync(new() { Ratio = 1 });
        await AssertFitsAsync(page, "App bar menu at 390 px");
        await signOut.TapAsync();
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccountsAndEventLog_OnAPhone_NoSidewaysScrollingAndNoValueCutOff()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser, Phone);
        var page = stack.Page;
        await SeedAsync(stack);

        await stack.OpenAsync("/accounts");
        await Expect(page.GetByText("PROFILE_NOT_FOUND")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "accounts-phone");
        await AssertFitsAsync(page, "Accounts at 390 px");

        await stack.OpenAsync("/events");
        await Expect(page.GetByText("PROFILE_NOT_FOUND")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "events-phone");
        await AssertFitsAsync(page, "Event log at 390 px");
    }

    [Fact]
    public async Task Accounts_At1400_TableFitsWithoutSidewaysScrolling()
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser);
        var page = stack.Page;
        await SeedAsync(stack);

        await stack.OpenAsync("/accounts");
        await Expect(page.GetByText("PROFILE_NOT_FOUND")).ToBeVisibleAsync();
        var container = page.Locator(".mud-table-container");
        var widths = await container.EvaluateAsync<int[]>("c => [c.scrollWidth, c.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the accounts table scrolls sideways: {widths[0]} > {widths[1]}");
        await AssertFitsAsync(page, "Accounts at 1400 px");
    }

    [Theory]
    [InlineData("/accounts/" + LongAccount)]
    [InlineData("/events?account=" + LongAccount + "&errorCode=PROFILE_NOT_FOUND")]
    public async Task AlertLink_AccountOrFilteredLogSignedOut_SignInComesBackToTheSameUrl(string link)
    {
        await using var stack = await DashboardStack.StartAsync(browser.Browser, Phone, signIn: false);
        var page = stack.Page;
        await SeedAsync(stack);

        await page.GotoAsync(link);
        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(DashboardStack.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).TapAsync();

        await page.WaitForURLAsync(url => url.EndsWith(link, StringComparison.Ordinal),
            // Committed is enough: the interactive circuit is awaited next, and a busy machine can hold back "load".
            new() { WaitUntil = WaitUntilState.Commit });
        await stack.WaitInteractiveAsync();
        await Expect(page.GetByText("PROFILE_NOT_FOUND").First).ToBeVisibleAsync();
        // The account page's event table may scroll inside its own box; the page itself does not.
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{link} scrolls sideways at 390 px: {widths[0]} > {widths[1]}");
    }
}
