using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WeLink.Dashboard.Features.Demo;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

/// <summary>
/// <c>dotnet WeLink.Dashboard.dll --demo</c> as a newcomer runs it, from a folder of its own: the
/// in-process fake We-Link and its traffic fill the demo database, a PIN answered through the real
/// API logs its account in, every page says it is a demo, and the real database is never created.
/// </summary>
// SQLite only: the demo always runs on a SQLite file of its own, whatever the configured store.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed partial class DemoModeTests : IDisposable
{
    private const string OperatorToken = "demo-test-operator-token-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Demo_PinAnsweredThroughApi_AccountConnectedOnDemoDatabaseOnly()
    {
        // A real database configured the strongest way a user can (an environment variable): the demo must still not touch it.
        var realDatabase = Path.Combine(_folder.Path, "real", "welink-dashboard.db");
        var defaultDatabase = Path.Combine(_folder.Path, "data", "welink-dashboard.db");
        var demoDatabase = Path.Combine(_folder.Path, DemoSetup.DatabaseFile);
        await using var app = await ChildDashboard.StartInFolderAsync(_folder.Path, ["--demo"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Dashboard"] = $"Data Source={realDatabase}",
            ["Dashboard__ApiTokens__0__Name"] = "demo-test",
            ["Dashboard__ApiTokens__0__Token"] = OperatorToken,
            ["Dashboard__ApiTokens__0__Role"] = "Operator",
        });
        using var api = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);

        // Simulated traffic arrives on its own, over HTTP, signed and attributed without URL hints.
        var events = await Poll.UntilAsync(() => GetJsonAsync(api, "/api/events?limit=100"),
            page => page.GetProperty("items").GetArrayLength() >= 5, Patience, "five demo events");
        Assert.Contains(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("signature").GetString() != "Unverified"
            && e.GetProperty("accountId").GetString() is { Length: > 0 });

        // A login on the fake We-Link asks for a PIN; the operator answers it through the real API.
        var pending = await Poll.UntilAsync(() => GetJsonAsync(api, "/api/pins"),
            pins => pins.EnumerateArray().Any(p => p.GetProperty("accountId").ValueKind == JsonValueKind.String), Patience, "a pending PIN request with its account");
        var pin = pending.EnumerateArray().First(p => p.GetProperty("accountId").ValueKind == JsonValueKind.String);
        var requestId = pin.GetProperty("requestId").GetString()!;
        var accountId = pin.GetProperty("accountId").GetString()!;
        using (var submitted = await api.PostAsJsonAsync($"/api/pins/{Uri.EscapeDataString(requestId)}", new { code = "424242" }))
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        // The fake We-Link posts the login's outcome back: this PIN request succeeded and the account is Connected.
        await Poll.UntilAsync(() => GetJsonAsync(api, "/api/pins/history"),
            history => history.EnumerateArray().Any(p => p.GetProperty("requestId").GetString() == requestId && p.GetProperty("status").GetString() == "Succeeded"),
            Patience, "the PIN request to succeed");
        await Poll.UntilAsync(() => GetJsonAsync(api, $"/api/accounts/{Uri.EscapeDataString(accountId)}"),
            detail => LoginState(detail.GetProperty("account")) == "Connected", Patience, $"{accountId} to turn Connected");

        // The generated admin password is printed, and every page (after sign-in with it) carries the demo banner.
        var password = PasswordLine().Match(app.Output);
        Assert.True(password.Success, "No generated password on the console:\n" + app.Output);
        using (var anonymous = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
            Assert.Contains("data-testid=\"demo-banner\"", await anonymous.GetStringAsync(SignInRoutes.Page));
        var page = await SignedInPageAsync(app.BaseAddress, password.Groups[1].Value, "/pins");
        Assert.Contains("data-testid=\"demo-banner\"", page);
        Assert.Contains(WebUtility.HtmlEncode(demoDatabase), page);

        Assert.True(File.Exists(demoDatabase), "The demo database was not created at " + demoDatabase);
        await app.DisposeAsync();
        Assert.False(File.Exists(realDatabase), "The demo created the configured real database.");
        Assert.False(File.Exists(defaultDatabase), "The demo created the default real database.");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary><c>loginState</c>, or the older <c>state</c> it replaces.</summary>
    private static string? LoginState(JsonElement account) =>
        (account.TryGetProperty("loginState", out var state) || account.TryGetProperty("state", out state)) ? state.GetString() : null;

    /// <summary>Signs in the way a browser does (page, anti-forgery field, form post) and loads <paramref name="path"/>.</summary>
    private static async Task<string> SignedInPageAsync(Uri baseAddress, string password, string path)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var form = await browser.GetStringAsync(SignInRoutes.Page);
        var token = AntiforgeryField().Match(form);
        Assert.True(token.Success, "The sign-in page has no anti-forgery field.");
        using var signedIn = await browser.PostAsync(SignInRoutes.Submit, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [SignInEndpoints.UserNameField] = "admin",
            [SignInEndpoints.PasswordField] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain(SignInRoutes.Page, signedIn.Headers.Location!.OriginalString);
        using var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"^\s*password:\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PasswordLine();

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]*)"[^>]*>""")]
    private static partial Regex AntiforgeryField();
}
