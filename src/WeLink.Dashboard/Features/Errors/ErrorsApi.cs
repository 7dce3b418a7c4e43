using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

public static class ErrorsApi
{
    public sealed record ErrorStatsResponse(
        DateTimeOffset Since, DateTimeOffset Until, long Total, long PreviousTotal,
        IReadOnlyList<ErrorCodeTrend> Codes, IReadOnlyList<AccountErrorCount> ByAccount);

    public static RouteGroupBuilder MapErrorStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats/errors", Get).WithName("ErrorStats")
            .WithSummary("Counts per error code (and per account) over a range, with the previous period for trend.");
        return api;
    }

    private static async Task<Results<Ok<ErrorStatsResponse>, ProblemHttpResult>> Get(
        ErrorStatsQueries queries, string? account, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (!StatsRange.IsSupported(since, until)) return DashboardApi.BadRequest(StatsRange.OutOfRangeMessage);
        var stats = await queries.GetAsync(account, since, until, cancellationToken);
        return TypedResults.Ok(new ErrorStatsResponse(stats.Since, stats.Until, stats.Total, stats.PreviousTotal, stats.Codes, stats.ByAccount));
    }
}
