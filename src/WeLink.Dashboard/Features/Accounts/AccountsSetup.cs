using Microsoft.Extensions.DependencyInjection.Extensions;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Features.WeLinkApi;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>Accounts: their queries, the sync with We-Link's account list, and <c>/api/accounts</c>.</summary>
public static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddAccountServices();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountSync>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionHeartbeat>());
        builder.Services.AddHostedService<AccountsHubBroadcaster>();
        return builder;
    }

    /// <summary>What the pages use; <see cref="AccountSync"/> runs in the background only when <see cref="AddAccounts"/> adds it.</summary>
    public static IServiceCollection AddAccountServices(this IServiceCollection services)
    {
        services.AddWeLinkApi();
        // Budgets (gauges, `budget` in the API) and the BudgetSpent flag come from the gateway's counted calls.
        // The limits are bound from configuration by AddGateway; without it (component tests) the defaults hold.
        services.AddOptions<GatewayOptions>();
        services.TryAddSingleton<BudgetQueries>();
        services.AddSingleton<IAccountHealthSource, BudgetHealthSource>();
        services.AddSingleton<AccountQueries>();
        services.AddJobLeaseService();
        services.AddSingleton<AccountSync>();
        services.AddSingleton<SessionHeartbeat>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapAccountsApi();
        return app;
    }
}
