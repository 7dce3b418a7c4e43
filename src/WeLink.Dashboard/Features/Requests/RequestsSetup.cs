namespace WeLink.Dashboard.Features.Requests;

/// <summary>Tracked requests: <c>POST /api/requests</c> for requests made elsewhere, <c>GET /api/requests</c> and the Requests page.</summary>
public static class RequestsSetup
{
    /// <summary>What the page and the API read with.</summary>
    public static IServiceCollection AddRequestsServices(this IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<RequestQueries>(services);
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<Shared.AccountNameQueries>(services);
        return services;
    }

    public static IEndpointRouteBuilder MapRequests(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapRequestsApi();
        return app;
    }
}
