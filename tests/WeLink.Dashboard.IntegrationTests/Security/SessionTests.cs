using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Sign-ins as server-side records: sign-out, absolute lifetime, and sign-in answers that tell nothing.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<HttpResponseMessage> SignOutAsync(SignInFlow browser, bool withAntiforgery = true)
    {
        var page = await (await browser.Client.GetAsync("/events")).Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>();
        if (withAntiforgery) fields["__RequestVerificationToken"] = SignInFlow.AntiforgeryToken(page);
        return await browser.Client.PostAsync(SignInRoutes.SignOut, new FormUrlEncodedContent(fields));
    }

    private static string SessionCookie(SignInFlow browser, DashboardApp app) =>
        browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]!.Value;

    private static async Task<HttpStatusCode> GetWithCookieAsync(DashboardApp app, string cookie, string path = "/api/pins")
    {
        using var client = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{SecuritySetup.CookieName}={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task SignOut_SavedCookieIsRefused_WhileAnotherSignInOfTheSameOperatorGoesOn()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var desk = SignInFlow.For(app);
        using var phone = SignInFlow.For(app);
        await desk.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        await phone.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        var saved = SessionCookie(desk, app);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(app, saved));

        var signedOut = await SignOutAsync(desk);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetWithCookieAsync(app, saved));
        Assert.Equal(HttpStatusCode.OK, (await phone.Client.GetAsync("/api/pins")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(app, SessionCookie(phone, app)));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefusedAndTheSignInGoesOn()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        var response = await SignOutAsync(browser, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);
    }

    [Fact]
    public async Task Session_PastItsMaxLifetime_IsRefusedHoweverActive()
    {
        var clock = new ShiftedTimeProvider();
        using var app = DashboardApp.Start(_dir.Path,
            settings: new Dictionary<string, string?> { ["Dashboard:SessionIdleTimeout"] = "30.00:00:00", ["Dashboard:SessionMaxLifetime"] = "1.00:00:00" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        clock.Offset = TimeSpan.FromHours(23);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);

        clock.Offset = TimeSpan.FromHours(25);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/pins")).StatusCode);
        // Signing in again starts a new lifetime.
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownWrongAndLocked_AnswerAlikeAfterTheSameWork()
    {
        var hasher = new CountingHasher();
        using var app = DashboardApp.Start(_dir.Path,
            settings: new Dictionary<string, string?> { ["Dashboard:LockoutThreshold"] = "2" },
            services: s => s.AddSingleton<IPasswordHasher<Operator>>(hasher));
        using var browser = SignInFlow.For(app);

        async Task<(string Location, int Checks)> AttemptAsync(string user, string password)
        {
            var before = hasher.Verifications;
            var response = await browser.PostAsync(user, password);
            return (response.Headers.Location!.OriginalString, hasher.Verifications - before);
        }

        var unknown = await AttemptAsync("nobody-here", "wrong-password-x");
        var wrong = await AttemptAsync(DashboardApp.AdminUser, "wrong-password-x");
        await AttemptAsync(DashboardApp.AdminUser, "wrong-password-x");
        var locked = await AttemptAsync(DashboardApp.AdminUser, "wrong-password-x");
        var lockedRightPassword = await AttemptAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        Assert.All(new[] { wrong, locked, lockedRightPassword }, answer => Assert.Equal(unknown, answer));
        Assert.Equal((SignInRoutes.PageFor(null, "invalid"), 1), unknown);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
        var page = await (await browser.Client.GetAsync(unknown.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Wrong user name or password.", page);
    }

    [Fact]
    public async Task Lockout_FromOneClient_DoesNotLockTheOperatorOutElsewhere()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Dashboard:LockoutThreshold"] = "2",
            ["Dashboard:TrustedProxies:0"] = "127.0.0.1",
        });
        using var stranger = SignInFlow.For(app);
        stranger.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        using var admin = SignInFlow.For(app);
        admin.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        for (var i = 0; i < 3; i++) await stranger.PostAsync(DashboardApp.AdminUser, "wrong-password-x");
        Assert.EndsWith("error=invalid", (await stranger.PostAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword)).Headers.Location!.OriginalString);

        await admin.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/api/pins")).StatusCode);
    }

    [Fact]
    public async Task SignIn_NonAsciiReturnUrl_SignsInAndComesBackEncoded()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);

        var response = await browser.PostAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword, returnUrl: "/events?q=Zürich 東京");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/events?q=Z%C3%BCrich %E6%9D%B1%E4%BA%AC", response.Headers.Location!.OriginalString);
        Assert.NotNull(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);
        // The sign-in page itself, asked with such a return address, renders too.
        using var fresh = SignInFlow.For(app);
        Assert.Equal(HttpStatusCode.OK, (await fresh.Client.GetAsync("/signin?returnUrl=%2Fevents%3Fq%3DZ%C3%BCrich")).StatusCode);
    }

    /// <summary>The real hasher, counting how often a password is checked.</summary>
    private sealed class CountingHasher : IPasswordHasher<Operator>
    {
        private readonly PasswordHasher<Operator> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Operator user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Operator user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
