namespace WeLink.Dashboard.Features.Overview;

/// <summary>The fleet overview and <c>/api/overview</c>.</summary>
public static class OverviewSetup
{
    public static WebApplicationBuilder AddOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddOverviewServices();
        return builder;
    }

    /// <summary>What the pages use.</summary>
    public static IServiceCollection AddOverviewServices(this IServiceCollection services)
    {
        services.AddSingleton<OverviewQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapOverviewApi();
        return app;
    }
}
