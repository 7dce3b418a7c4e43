using Microsoft.AspNetCore.Http.HttpResults;

namespace WeLink.Dashboard.Features.Overview;

public static class OverviewApi
{
    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", Get).WithName("Overview").WithSummary("The fleet at a glance: what the overview page shows.");
        return api;
    }

    private static async Task<Ok<FleetOverview>> Get(OverviewQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetAsync(cancellationToken));
}
