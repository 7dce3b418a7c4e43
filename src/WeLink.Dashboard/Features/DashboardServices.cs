using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Alerts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Overview;
using WeLink.Dashboard.Features.Pins;

namespace WeLink.Dashboard.Features;

public static class DashboardServices
{
    /// <summary>
    /// What the pages need without the background work each feature's <c>AddX</c> also starts:
    /// what component tests register.
    /// </summary>
    public static IServiceCollection AddDashboardServices(this IServiceCollection services) =>
        services.AddEventServices()
            .AddAccountServices()
            .AddPinServices()
            .AddErrorsServices()
            .AddConnectionsServices()
            .AddOverviewServices()
            .AddAlertServices()
            .AddRequestsServices();
}
