namespace WeLink.Dashboard.Features.Limits;

public static class LimitsSetup
{
    /// <summary>Sign-in and PIN-submission limits that hold across instances (they live in the database).</summary>
    public static WebApplicationBuilder AddStoredLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RateLimitWindows>();
        builder.Services.AddHostedService<StoredLimitCleanup>();
        return builder;
    }
}
