using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Events;

public static class EventsApi
{
    public sealed record EventListResponse(IReadOnlyList<EventSummary> Items, string? NextCursor);

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events");
        events.MapGet("", List).WithName("ListEvents").WithSummary("Events newest first, filtered, with cursor paging.");
        events.MapGet("/{id:long}", Get).WithName("GetEvent").WithSummary("One event with its raw body and verification outcome.");
        events.MapGet("/export", Export).WithName("ExportEvents").WithSummary("Every event matching the filters, streamed as CSV or NDJSON.");
        return api;
    }

    private static async Task<Results<Ok<EventListResponse>, ProblemHttpResult>> List(
        EventQueries queries, [AsParameters] EventFilterQuery filter, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > EventQueries.MaxLimit) return DashboardApi.BadRequest($"limit must be between 1 and {EventQueries.MaxLimit}.");
        if (!EventQueries.IsValidCursor(cursor)) return DashboardApi.BadRequest("cursor is not one this API gave out.");
        if (filter.Problem is { } searchError) return DashboardApi.BadRequest(searchError);
        var page = await queries.ListAsync(filter.ToFilter(), limit ?? 50, cursor, cancellationToken);
        return TypedResults.Ok(new EventListResponse(page.Items, page.NextCursor));
    }

    private static async Task<Results<Ok<EventDetail>, NotFound>> Get(EventQueries queries, long id, CancellationToken cancellationToken) =>
        await queries.GetAsync(id, cancellationToken) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static Results<PushStreamHttpResult, ProblemHttpResult> Export(
        EventQueries queries, [AsParameters] EventFilterQuery query, string? format)
    {
        if (query.Problem is { } searchError) return DashboardApi.BadRequest(searchError);
        var filter = query.ToFilter();
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => TypedResults.Stream(stream => EventExport.WriteCsvAsync(queries, filter, stream), "text/csv; charset=utf-8", $"welink-events-{stamp}.csv"),
            "ndjson" => TypedResults.Stream(stream => EventExport.WriteNdjsonAsync(queries, filter, stream), "application/x-ndjson", $"welink-events-{stamp}.ndjson"),
            _ => DashboardApi.BadRequest("format must be csv or ndjson."),
        };
    }
}
