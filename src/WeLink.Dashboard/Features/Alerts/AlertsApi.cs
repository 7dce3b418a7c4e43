using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Alerts;

public static class AlertsApi
{
    public sealed record AlertListResponse(IReadOnlyList<AlertMessageView> Items, string? NextCursor, IReadOnlyList<AlertChannelView> Channels);

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", List).RequireAuthorization(AuthorizationPolicies.Admin)
            .WithName("ListAlerts").WithSummary("Alert messages newest first with their deliveries per channel, and the channels (secrets masked).");
        return api;
    }

    private static async Task<Results<Ok<AlertListResponse>, ProblemHttpResult>> List(
        AlertQueries queries, string? channel, string? status, string? rule, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > AlertQueries.MaxLimit) return DashboardApi.BadRequest($"limit must be between 1 and {AlertQueries.MaxLimit}.");
        if (!AlertQueries.IsValidCursor(cursor)) return DashboardApi.BadRequest("cursor is not one this API gave out.");
        AlertDeliveryStatus? parsed = null;
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<AlertDeliveryStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                return DashboardApi.BadRequest($"status must be one of {string.Join(", ", Enum.GetNames<AlertDeliveryStatus>())}.");
            parsed = s;
        }
        var page = await queries.ListAsync(new AlertFilter(channel, parsed, rule), limit ?? 50, cursor, cancellationToken);
        return TypedResults.Ok(new AlertListResponse(page.Items, page.NextCursor, await queries.ChannelsAsync(cancellationToken)));
    }
}
