using Microsoft.Extensions.DependencyInjection.Extensions;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Events;

/// <summary>The event log: its queries, the search indexer, and <c>/api/events</c>.</summary>
public static class EventsSetup
{
    public static WebApplicationBuilder AddEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddEventServices();
        builder.Services.AddHostedService<EventSearchIndexer>();
        return builder;
    }

    /// <summary>What the pages use (no background work).</summary>
    public static IServiceCollection AddEventServices(this IServiceCollection services)
    {
        services.AddSingleton<EventQueries>();
        services.AddSingleton<EventFilterChoiceQueries>();
        services.TryAddSingleton<AccountNameQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapEventsApi();
        return app;
    }
}
