using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Connections;

public static class ConnectionsApi
{
    public sealed record AccountConnectionsResponse(string? AccountId, string? DisplayName, string? Email, long Sent, long Failed, double? SuccessRate, IReadOnlyDictionary<string, long> FailureReasons);

    public sealed record ConnectionStatsResponse(DateTimeOffset Since, DateTimeOffset Until, long Sent, long Failed,
        IReadOnlyList<HourlyConnections> PerHour, IReadOnlyList<AccountConnectionsResponse> PerAccount);

    public static RouteGroupBuilder MapConnectionStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats/connections", Get).WithName("ConnectionStats").WithSummary("Connections sent / failed per account and per hour.");
        return api;
    }

    private static async Task<Results<Ok<ConnectionStatsResponse>, ProblemHttpResult>> Get(
        ConnectionStatsQueries queries, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (!StatsRange.IsSupported(since, until)) return DashboardApi.BadRequest(StatsRange.OutOfRangeMessage);
        var stats = await queries.GetAsync(account, since, until, cancellationToken);
        return TypedResults.Ok(new ConnectionStatsResponse(stats.Since, stats.Until, stats.Totals.Sent, stats.Totals.Failed, stats.PerHour,
            stats.PerAccount.Select(a => new AccountConnectionsResponse(a.AccountId, a.DisplayName, a.Email, a.Sent, a.Failed, a.SuccessRate,
                a.FailureReasons.ToDictionary(r => r.Reason, r => r.Count))).ToList()));
    }
}
