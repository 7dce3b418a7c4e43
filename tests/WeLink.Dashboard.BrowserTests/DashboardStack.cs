using System.Net.Http.Json;
using Microsoft.Playwright;
using WeLink.Emulator.FakeApi;

namespace WeLink.Dashboard.BrowserTests;

/// <summary>
/// The real dashboard and the real emulator's fake We-Link API, wired to each other over HTTP on
/// 127.0.0.1, plus a signed-in browser page.
/// </summary>
public sealed class DashboardStack : IAsyncDisposable
{
    public const string AdminPassword = "Browser-Tests-Passw0rd!";
    public const string ApiKey = "browser-key";
    public const string ApiSecret = "browser-secret";

    private DashboardStack(DashboardApp app, FakeWeLinkApi weLink, IBrowserContext context, IPage page)
    {
        App = app;
        WeLink = weLink;
        Context = context;
        Page = page;
    }

    public DashboardApp App { get; }
    public FakeWeLinkApi WeLink { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <param name="configure">Changes to the browser context (colour scheme, viewport, CSP bypass for injected test scripts).</param>
    /// <param name="signIn">Sign in as the admin before returning.</param>
    public static async Task<DashboardStack> StartAsync(IBrowser browser, Action<BrowserNewContextOptions>? configure = null, bool signIn = true,
        IDictionary<string, string?>? settings = null)
    {
        var weLinkPort = FreePort.Next();
        var all = new Dictionary<string, string?>
        {
            ["WeLink:ApiBaseUrl"] = $"http://127.0.0.1:{weLinkPort}",
            ["WeLink:ApiKey"] = ApiKey,
            ["WeLink:ApiSecret"] = ApiSecret,
            ["Dashboard:AdminUser"] = "admin",
            ["Dashboard:AdminPassword"] = AdminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var app = DashboardApp.StartInTempDirectory(settings: all);
        var weLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = weLinkPort,
            ApiKey = ApiKey,
            ApiSecret = ApiSecret,
            WebhookUrl = new Uri(app.BaseAddress, "/webhooks/welink"),
            WebhookSecret = DashboardApp.Secret,
            Accounts = 5,
        }, CancellationToken.None);

        var options = new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        };
        configure?.Invoke(options);
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var stack = new DashboardStack(app, weLink, context, page);
        if (signIn) await stack.SignInAsync();
        return stack;
    }

    /// <summary>
    /// The first page of a new dashboard and its sign-in (a password hash, the operator's stamp through the writer) ran past the
    /// 15 s default twice in CI, while the integration and reliability tests filled the two cores beside the browser tests: both
    /// waits get <see cref="SignInTimeoutMs"/>, and still end as soon as the page is there.
    /// </summary>
    public async Task SignInAsync()
    {
        await Page.GotoAsync("/signin", new() { Timeout = SignInTimeoutMs });
        await Page.GetByLabel("User name").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync(AdminPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal), new() { Timeout = SignInTimeoutMs });
    }

    private const float SignInTimeoutMs = 60_000;

    /// <summary>Opens a page and waits for the interactive circuit: clicks on prerendered HTML are lost.</summary>
    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    public Task WaitInteractiveAsync() =>
        Page.Locator("#wl-interactive[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Starts a login on the fake We-Link; it posts a PIN_REQUIRED webhook to the dashboard.</summary>
    public async Task<string> StartLoginAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = WeLink.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        http.DefaultRequestHeaders.Add("x-api-secret", ApiSecret);
        var response = await http.PostAsJsonAsync("/api/v1/login_v2", new { email, password = "secret", proxy = new { location = "US" } });
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return answer.GetProperty("request_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await WeLink.DisposeAsync();
        App.Dispose();
    }
}
