using Microsoft.Extensions.DependencyInjection.Extensions;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

/// <summary>Error statistics and <c>/api/errors</c>.</summary>
public static class ErrorsSetup
{
    public static WebApplicationBuilder AddErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddErrorsServices();
        return builder;
    }

    /// <summary>What the pages use.</summary>
    public static IServiceCollection AddErrorsServices(this IServiceCollection services)
    {
        services.AddSingleton<ErrorStatsQueries>();
        services.TryAddSingleton<AccountNameQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapErrors(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapErrorStatsApi();
        return app;
    }
}
