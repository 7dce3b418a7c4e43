using System.Net;
using System.Net.Http.Json;
using WeLink.Dashboard.IntegrationTests.Security;

namespace WeLink.Dashboard.IntegrationTests.Jobs;

/// <summary>Sign-in lock-outs, sign-in attempts and PIN submissions counted once for two instances on one PostgreSQL database.</summary>
[Trait("Provider", TestStore.PostgreSqlItself)]
public sealed class TwoInstanceLimitTests : IDisposable
{
    private readonly TestDirectory _dirA = new();
    private readonly TestDirectory _dirB = new();
    private readonly PostgresTestDatabase _database = new();
    private readonly List<DashboardApp> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        _database.Dispose();
        _dirB.Dispose();
        _dirA.Dispose();
    }

    private (DashboardApp A, DashboardApp B) StartTwo(Dictionary<string, string?> limits)
    {
        var settings = _database.DashboardSettings();
        foreach (var (key, value) in limits) settings[key] = value;
        var a = DashboardApp.Start(_dirA.Path, settings: settings);
        _apps.Add(a);
        var b = DashboardApp.Start(_dirB.Path, settings: settings);
        _apps.Add(b);
        return (a, b);
    }

    [Fact]
    public async Task Lockout_ReachedOnA_HoldsOnB()
    {
        var (a, b) = StartTwo(new() { ["Dashboard:LockoutThreshold"] = "2", ["Dashboard:SignInAttemptsPerMinute"] = "100" });
        using var onA = SignInFlow.For(a);
        using var onB = SignInFlow.For(b);
        Assert.EndsWith("error=invalid", (await onA.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);
        Assert.EndsWith("error=invalid", (await onA.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);

        // Locked on A: B refuses the right password the same way.
        Assert.EndsWith("error=invalid", (await onB.PostAsync("admin", DashboardApp.AdminPassword)).Headers.Location!.OriginalString);
        Assert.Null(onB.Cookies.GetCookies(b.BaseAddress)[Hosting.SecuritySetup.CookieName]);
        Assert.Equal(1, _database.Scalar<long>("""SELECT COUNT(*) FROM "SignInLockouts" WHERE "UserName" = 'admin' AND "LockedUntil" IS NOT NULL"""));
    }

    [Fact]
    public async Task SignInAttempts_SpreadOverAAndB_CountAgainstOneBudget()
    {
        var (a, b) = StartTwo(new() { ["Dashboard:SignInAttemptsPerMinute"] = "3", ["Dashboard:LockoutThreshold"] = "100" });
        using var onA = SignInFlow.For(a);
        using var onB = SignInFlow.For(b);
        Assert.EndsWith("error=invalid", (await onA.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);
        Assert.EndsWith("error=invalid", (await onA.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);
        Assert.EndsWith("error=invalid", (await onB.PostAsync("admin", "wrong-password-x")).Headers.Location!.OriginalString);

        var turnedAway = await onB.PostAsync("admin", DashboardApp.AdminPassword);

        Assert.EndsWith("error=throttled", turnedAway.Headers.Location!.OriginalString);
        Assert.Null(onB.Cookies.GetCookies(b.BaseAddress)[Hosting.SecuritySetup.CookieName]);
    }

    [Fact]
    public async Task PinSubmissions_SpreadOverAAndB_CountAgainstOneBudget()
    {
        var (a, b) = StartTwo(new() { ["Dashboard:PinSubmissionsPerMinute"] = "3" });
        using var onA = a.CreateHttpClient(DashboardApp.OperatorToken);
        using var onB = b.CreateHttpClient(DashboardApp.OperatorToken);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await onA.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" })).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await onB.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" })).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await onA.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" })).StatusCode);

        var refused = await onB.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Too many PIN submissions", await refused.Content.ReadAsStringAsync());
    }
}
