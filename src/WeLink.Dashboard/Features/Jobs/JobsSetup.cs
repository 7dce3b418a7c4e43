using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeLink.Dashboard.Features.Jobs;

public static class JobsSetup
{
    /// <summary>Registered right after the database: hosted services stop in reverse order, so the jobs stop before their leases are released, and the writer after.</summary>
    public static WebApplicationBuilder AddJobLeases(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddJobLeaseService();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobLeases>());
        return builder;
    }

    /// <summary>The leases as a service only (what a job's on-demand half needs, e.g. in component tests); renewal runs when <see cref="AddJobLeases"/> adds it.</summary>
    public static IServiceCollection AddJobLeaseService(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>();
        services.TryAddSingleton<JobLeases>();
        return services;
    }
}
