using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>PIN requests: the inbox's queries, submission to We-Link, expiry, and the per-person submission limit.</summary>
public static class PinsSetup
{
    public static WebApplicationBuilder AddPins(this WebApplicationBuilder builder)
    {
        builder.Services.AddPinServices();
        builder.Services.AddSingleton<PinSubmissionRateLimiter>();
        builder.Services.AddHostedService<PinExpirySweeper>();
        return builder;
    }

    /// <summary>What the pages use (no background work).</summary>
    public static IServiceCollection AddPinServices(this IServiceCollection services)
    {
        services.AddSingleton<PinQueries>();
        services.TryAddSingleton<Shared.AccountNameQueries>();
        services.AddScoped<PinSubmissionService>();
        services.AddScoped<PendingPinCount>();
        return services;
    }

    public static IEndpointRouteBuilder MapPins(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapPinsApi();
        return app;
    }
}
