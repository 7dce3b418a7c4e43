namespace WeLink.Dashboard.Features.Jobs;

public static class JobsSetup
{
    /// <summary>Registered right after the database: hosted services stop in reverse order, so the jobs stop before their leases are released, and the writer after.</summary>
    public static WebApplicationBuilder AddJobLeases(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobLeases>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobLeases>());
        return builder;
    }
}
