using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.IntegrationTests.Security;

public sealed class SignInTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SignIn_ThenPage_Loads()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);

        var response = await browser.PostAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword, returnUrl: "/admin/operators");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/operators", response.Headers.Location!.OriginalString);
        var cookie = browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName];
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
        var page = await browser.Client.GetAsync("/admin/operators");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Operators", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ComesBackWithAnError()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);

        var response = await browser.PostAsync(DashboardApp.AdminUser, "not-the-password", returnUrl: "/events");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fevents&error=invalid", response.Headers.Location!.OriginalString);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
        var page = await (await browser.Client.GetAsync(response.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Wrong user name or password.", page);
        Assert.DoesNotContain("not-the-password", page);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task SignIn_ForeignReturnUrl_GoesHome(string returnUrl)
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);

        var response = await browser.PostAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);

        var response = await browser.PostAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        var page = await (await browser.Client.GetAsync("/admin/operators")).Content.ReadAsStringAsync();

        var response = await browser.Client.PostAsync(SignInRoutes.SignOut, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = SignInFlow.AntiforgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(SignInRoutes.Page, response.Headers.Location!.OriginalString);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Lockout_AfterRepeatedFailures_RefusesEvenTheRightPassword_ThenEnds()
    {
        var clock = new ShiftedTimeProvider();
        using var app = DashboardApp.Start(_dir.Path,
            settings: new Dictionary<string, string?> { ["Dashboard:LockoutThreshold"] = "3", ["Dashboard:LockoutDuration"] = "00:15:00" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        using var browser = SignInFlow.For(app);

        for (var i = 0; i < 3; i++) Assert.EndsWith("error=invalid", (await browser.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);
        // Locked: the right password gets the same answer as a wrong one, and no cookie.
        Assert.EndsWith("error=invalid", (await browser.PostAsync("admin", DashboardApp.AdminPassword)).Headers.Location!.OriginalString);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
        var admin = app.Services.GetRequiredService<OperatorAdministration>();
        Assert.NotNull((await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "admin").LockedUntil);

        clock.Offset = TimeSpan.FromMinutes(16);

        await browser.SignInAsync("admin", DashboardApp.AdminPassword);
        Assert.Null((await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "admin").LockedUntil);
    }

    [Fact]
    public async Task Lockout_AdminUnlock_LetsTheOperatorIn()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?> { ["Dashboard:LockoutThreshold"] = "2" });
        var admin = app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("olga", Roles.Operator, "operator-password-1", "test")).Succeeded);
        using var browser = SignInFlow.For(app);
        await browser.PostAsync("olga", "wrong-password-x");
        await browser.PostAsync("olga", "wrong-password-x");
        Assert.EndsWith("error=invalid", (await browser.PostAsync("olga", "operator-password-1")).Headers.Location!.OriginalString);

        var olga = (await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "olga");
        Assert.NotNull(olga.LockedUntil);
        Assert.True((await admin.UnlockAsync(olga.Id, "test")).Succeeded);

        await browser.SignInAsync("olga", "operator-password-1");
    }

    [Fact]
    public async Task SignInAttempts_BeyondTheRate_AreTurnedAway()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Dashboard:SignInAttemptsPerMinute"] = "3",
            ["Dashboard:LockoutThreshold"] = "100",
        });
        using var browser = SignInFlow.For(app);
        for (var i = 0; i < 3; i++) Assert.EndsWith("error=invalid", (await browser.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);

        var turnedAway = await browser.PostAsync("admin", DashboardApp.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, turnedAway.StatusCode);
        Assert.EndsWith("error=throttled", turnedAway.Headers.Location!.OriginalString);
        Assert.Null(browser.Cookies.GetCookies(app.BaseAddress)[SecuritySetup.CookieName]);
    }

    [Fact]
    public async Task DisablingAnOperator_EndsTheirSignIn()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var admin = app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("dora", Roles.Operator, "operator-password-2", "test")).Succeeded);
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync("dora", "operator-password-2");
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);

        var dora = (await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "dora");
        Assert.True((await admin.SetDisabledAsync(dora.Id, true, "test")).Succeeded);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/pins")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
        Assert.EndsWith("error=disabled", (await browser.PostAsync("dora", "operator-password-2")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ReRoling_TakesEffectOnTheExistingCookie()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var admin = app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("rita", Roles.Admin, "admin-password-22", "test")).Succeeded);
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync("rita", "admin-password-22");
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/admin/operators")).StatusCode);

        var rita = (await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "rita");
        Assert.True((await admin.SetRoleAsync(rita.Id, Roles.Viewer, "test")).Succeeded);

        // The old cookie (Admin) no longer holds: back to the sign-in page, not into the admin page.
        var response = await browser.Client.GetAsync("/admin/operators");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(SignInRoutes.Page, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_SurvivesARestart()
    {
        string cookie;
        using (var first = DashboardApp.Start(_dir.Path))
        {
            using var browser = SignInFlow.For(first);
            await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
            cookie = browser.Cookies.GetCookies(first.BaseAddress)[SecuritySetup.CookieName]!.Value;
        }
        Assert.True(Directory.EnumerateFiles(Path.Combine(_dir.Path, "keys"), "*.xml").Any());

        using var second = DashboardApp.Start(_dir.Path);
        using var client = second.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/pins");
        request.Headers.Add("Cookie", $"{SecuritySetup.CookieName}={cookie}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task FirstStart_WithoutPassword_GeneratesOne_ShownOnceOutsideTheLogs()
    {
        var notice = new CapturedNotice();
        var settings = new Dictionary<string, string?> { ["Dashboard:AdminPassword"] = "", ["Dashboard:AdminUser"] = "boss" };
        using (var app = DashboardApp.Start(_dir.Path, settings: settings, services: s => s.AddSingleton<GeneratedPasswordNotice>(notice)))
        {
            var (user, password) = Assert.Single(notice.Shown);
            Assert.Equal("boss", user);
            Assert.True(password.Length >= OperatorCredentials.MinPasswordLength);
            using var browser = SignInFlow.For(app);
            await browser.SignInAsync("boss", password);
            Assert.Equal("Admin", app.Scalar<string>("SELECT Role FROM Operators WHERE UserName = 'boss'"));
        }

        using (DashboardApp.Start(_dir.Path, settings: settings, services: s => s.AddSingleton<GeneratedPasswordNotice>(notice)))
        {
            Assert.Single(notice.Shown);
        }
        var secret = notice.Shown[0].Password;
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
            Assert.False(FileSearch.Contains(file, secret), $"{file} holds the generated password");
    }

    private sealed class CapturedNotice : GeneratedPasswordNotice
    {
        public List<(string UserName, string Password)> Shown { get; } = [];

        public override void Show(string userName, string password) => Shown.Add((userName, password));
    }
}
