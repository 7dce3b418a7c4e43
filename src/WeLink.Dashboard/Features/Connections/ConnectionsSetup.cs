using Microsoft.Extensions.DependencyInjection.Extensions;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Connections;

/// <summary>Connection-request statistics and <c>/api/connections</c>.</summary>
public static class ConnectionsSetup
{
    public static WebApplicationBuilder AddConnections(this WebApplicationBuilder builder)
    {
        builder.Services.AddConnectionsServices();
        return builder;
    }

    /// <summary>What the pages use.</summary>
    public static IServiceCollection AddConnectionsServices(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionStatsQueries>();
        services.TryAddSingleton<AccountNameQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapConnectionStatsApi();
        return app;
    }
}
