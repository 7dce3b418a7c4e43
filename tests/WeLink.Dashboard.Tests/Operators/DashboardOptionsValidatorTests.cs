using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Tests.Operators;

public sealed class DashboardOptionsValidatorTests
{
    private static readonly DashboardOptionsValidator Validator = new();

    [Fact]
    public void Defaults_AreValid() => Assert.True(Validator.Validate(null, new DashboardOptions()).Succeeded);

    [Fact]
    public void Tokens_AreCheckedOneByOne_WithoutEchoingThem()
    {
        var options = new DashboardOptions
        {
            ApiTokens =
            [
                new ApiToken { Name = "ok", Token = "a-long-enough-token-1", Role = "viewer" },
                new ApiToken { Name = "", Token = "short-token", Role = "Root" },
                new ApiToken { Name = "again", Token = "a-long-enough-token-1", Role = "Admin" },
            ],
        };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Dashboard:ApiTokens:1:Name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dashboard:ApiTokens:1:Token", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dashboard:ApiTokens:1:Role", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dashboard:ApiTokens:2:Token repeats", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("a-long-enough-token-1") || f.Contains("short-token"));
        Assert.DoesNotContain(failures, f => f.StartsWith("Dashboard:ApiTokens:0", StringComparison.Ordinal));
    }

    [Fact]
    public void ShortAdminPassword_IsRefusedWithoutEchoingIt()
    {
        var result = Validator.Validate(null, new DashboardOptions { AdminPassword = "tiny-pw" });

        Assert.True(result.Failed);
        Assert.DoesNotContain("tiny-pw", result.FailureMessage);
    }

    [Theory]
    [InlineData(0, "00:15:00", "08:00:00")]
    [InlineData(5, "00:00:00", "08:00:00")]
    [InlineData(5, "00:15:00", "00:00:10")]
    public void Limits_MustBePositive(int threshold, string duration, string idle) =>
        Assert.True(Validator.Validate(null, new DashboardOptions
        {
            LockoutThreshold = threshold,
            LockoutDuration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture),
            SessionIdleTimeout = TimeSpan.Parse(idle, System.Globalization.CultureInfo.InvariantCulture),
        }).Failed);

    [Fact]
    public void ProxiesOriginsAndLifetime_AreChecked()
    {
        var result = Validator.Validate(null, new DashboardOptions
        {
            TrustedProxies = ["10.0.0.5", "10.0.0.0/8", "::1", "not-an-address", "10.0.0.0/99"],
            AllowedOrigins = ["https://wallboard.example.com", "wallboard.example.com"],
            PublicUrl = "dashboard.example.com",
            SessionMaxLifetime = TimeSpan.FromSeconds(5),
        });

        var failures = result.Failures!.ToList();
        Assert.Equal(
            ["Dashboard:SessionMaxLifetime", "Dashboard:PublicUrl", "Dashboard:TrustedProxies:3", "Dashboard:TrustedProxies:4", "Dashboard:AllowedOrigins:1"],
            failures.Select(f => f.Split(' ')[0]));
        Assert.True(Validator.Validate(null, new DashboardOptions { TrustedProxies = ["127.0.0.1", "fd00::/8"], PublicUrl = "https://d.example" }).Succeeded);
    }
}
