using Microsoft.Extensions.Options;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Hosting;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>The We-Link gateway: <c>POST /welink/api/v1/{action}</c>, its records and the budgets they count.</summary>
public static class GatewaySetup
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGatewayServices();
        builder.Services.AddSingleton(sp => new ActionCatalogue(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Actions));
        builder.Services.AddSingleton<LoginAccountResolver>();
        builder.Services.AddHostedService<PendingLoginResolver>();
        builder.Services.AddHostedService<Requests.RequestTracker>();
        builder.Services.AddHttpClient<GatewayForwarder>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<WeLinkOptions>>().Value.ApiBaseUrl;
                http.Timeout = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Timeout;
            })
            // Only {ApiBaseUrl}/api/v1/{action} is ever called: no redirect is followed, no cookie kept.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return builder;
    }

    /// <summary>What the pages need: the budget queries.</summary>
    public static IServiceCollection AddGatewayServices(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section);
        services.AddSingleton<BudgetQueries>();
        // Tracked requests are the gateway's: their page and API read with these.
        Requests.RequestsSetup.AddRequestsServices(services);
        return services;
    }

    /// <summary>The route is open to the authorization middleware: the endpoint answers 401/403 itself, before anything is read or forwarded.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.MapPost(GatewayEndpoints.Route, GatewayEndpoints.ForwardAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("WeLinkGateway").WithSummary("Forwards a We-Link action and records its request id, account and status.")
            .ExcludeFromDescription();
        return app;
    }
}
