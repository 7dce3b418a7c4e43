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
}
