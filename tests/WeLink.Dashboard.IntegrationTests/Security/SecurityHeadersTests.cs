using System.Net;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.IntegrationTests.Security;

public sealed class SecurityHeadersTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/signin", false)]
    [InlineData("/", true)]
    [InlineData("/admin/operators", true)]
    public async Task Page_CarriesTheSecurityHeaders(string path, bool signedIn)
    {
        using var browser = SignInFlow.For(_app);
        if (signedIn) await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        var response = await browser.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Page_HasNoInlineScriptTheCspWouldBlock()
    {
        using var browser = SignInFlow.For(_app);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        foreach (var path in new[] { "/signin", "/", "/admin/operators" })
        {
            var html = await (await browser.Client.GetAsync(path)).Content.ReadAsStringAsync();
            // Every <script> loads a file: script-src 'self' allows those and nothing inline.
            foreach (var script in html.Split("<script").Skip(1))
                Assert.Matches("^[^>]*\\ssrc=\"", script);
        }
    }

    [Fact]
    public async Task ApiAnswer_CarriesTheSecurityHeaders()
    {
        var response = await _app.CreateHttpClient().GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicyFor($"ws://{_app.BaseAddress.Authority}"), Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Hsts_NotSentOverPlainHttp()
    {
        // HSTS is on outside Development but only ever sent over HTTPS (and never for 127.0.0.1).
        var response = await _app.CreateHttpClient().GetAsync("/signin");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
