using System.Net;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Behind a TLS proxy: forwarded headers believed from configured proxies only; redirects never carry the Host header.</summary>
public sealed class ProxyTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DashboardApp StartBehind(string trustedProxy, string directory, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Dashboard:TrustedProxies:0"] = trustedProxy };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) settings[key] = value;
        return DashboardApp.Start(directory, settings: settings);
    }

    /// <summary>
    /// Signs in through a "proxy" that says the browser used HTTPS at dashboard.example; cookies are
    /// carried by hand (a cookie container would not send a Secure cookie over plain HTTP).
    /// Returns the sign-in answer and the page's answer.
    /// </summary>
    private static async Task<(HttpResponseMessage SignIn, HttpResponseMessage Page)> SignInOverForwardedHttpsAsync(DashboardApp app)
    {
        using var client = app.CreateHttpClient();
        void Forward(HttpRequestMessage request)
        {
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "dashboard.example");
        }

        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, SignInRoutes.Page);
        Forward(pageRequest);
        var page = await client.SendAsync(pageRequest);
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));

        using var post = new HttpRequestMessage(HttpMethod.Post, SignInRoutes.Submit)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = DashboardApp.AdminUser,
                ["Password"] = DashboardApp.AdminPassword,
                ["__RequestVerificationToken"] = SignInFlow.AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            }),
        };
        Forward(post);
        post.Headers.Add("Cookie", antiforgeryCookie);
        return (await client.SendAsync(post), page);
    }

    private static string SessionSetCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SecuritySetup.CookieName + "=", StringComparison.Ordinal));

    [Fact]
    public async Task SignIn_FromTrustedProxyOverHttps_CookieIsSecureAndHstsIsSent()
    {
        using var app = StartBehind("127.0.0.1", _dir.Path);

        var (signIn, page) = await SignInOverForwardedHttpsAsync(app);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("; secure", SessionSetCookie(signIn), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        Assert.Contains("connect-src 'self' wss://dashboard.example;", Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task SignIn_ForwardedHeadersFromAnUntrustedAddress_AreNotBelieved()
    {
        using var app = StartBehind("10.0.0.0/8", _dir.Path);

        var (signIn, page) = await SignInOverForwardedHttpsAsync(app);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("; secure", SessionSetCookie(signIn), StringComparison.OrdinalIgnoreCase);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task SignInRateLimit_BehindATrustedProxy_CountsEachRealClient()
    {
        using var app = StartBehind("127.0.0.1", _dir.Path, new Dictionary<string, string?>
        {
            ["Dashboard:SignInAttemptsPerMinute"] = "2",
            ["Dashboard:LockoutThreshold"] = "100",
        });
        using var first = SignInFlow.For(app);
        first.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        using var second = SignInFlow.For(app);
        second.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        for (var i = 0; i < 2; i++) Assert.EndsWith("error=invalid", (await first.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);
        Assert.EndsWith("error=throttled", (await first.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);

        await second.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
    }

    [Theory]
    [InlineData("/events")]
    [InlineData("/")]
    public async Task Redirect_ForgedHostHeader_IsNotReflected(string path)
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var client = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.False(location.IsAbsoluteUri, location.OriginalString);
        Assert.StartsWith(SignInRoutes.Page, location.OriginalString);
        Assert.DoesNotContain("evil.example", location.OriginalString);
    }

    [Fact]
    public async Task ApiAndExportAnswers_AreNotStored_AndPagesAllowOnlyTheirOwnWebSocket()
    {
        using var app = DashboardApp.Start(_dir.Path);

        foreach (var path in new[] { "/api/events", "/api/events/export?format=csv", "/api/events/export?format=ndjson", "/api/overview" })
        {
            var response = await app.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, path);
        }
        using var browser = SignInFlow.For(app);
        var page = await browser.Client.GetAsync(SignInRoutes.Page);
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"connect-src 'self' ws://{app.BaseAddress.Authority};", csp);
        Assert.DoesNotContain(" ws: ", csp);
        Assert.DoesNotContain(" wss:", csp);
    }
}
