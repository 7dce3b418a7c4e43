using Microsoft.AspNetCore.Mvc;

namespace WeLink.Dashboard.Features.Events;

/// <summary>The event filters as <c>/api/events</c> and its export take them from the query string, bound once for both.</summary>
public sealed class EventFilterQuery
{
    [FromQuery(Name = "type")] public string? Type { get; init; }
    [FromQuery(Name = "account")] public string? Account { get; init; }
    [FromQuery(Name = "status")] public string? Status { get; init; }
    [FromQuery(Name = "errorCode")] public string? ErrorCode { get; init; }
    [FromQuery(Name = "since")] public DateTimeOffset? Since { get; init; }
    [FromQuery(Name = "until")] public DateTimeOffset? Until { get; init; }
    [FromQuery(Name = "q")] public string? Q { get; init; }

    /// <summary>Why the search text cannot be used, or null.</summary>
    public string? Problem => EventFilter.CheckSearch(Q);

    public EventFilter ToFilter() => new(Type, Account, Status, ErrorCode, Since, Until, Q);
}
