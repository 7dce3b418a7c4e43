using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Events;

/// <summary>The event log's filters, as in the URL and the API.</summary>
public sealed record EventFilter(
    string? Type = null,
    string? Account = null,
    string? Status = null,
    string? ErrorCode = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Q = null)
{
    public static readonly EventFilter None = new();

    /// <summary>Why <paramref name="q"/> cannot be searched for, or null. A NUL cannot occur in a stored body (JSON forbids it) and ends SQLite's text early.</summary>
    public static string? CheckSearch(string? q) => q?.Contains('\0') == true ? "The search text must not contain a NUL character." : null;

    /// <summary>The pseudo-account that selects events no account could be found for.</summary>
    public const string Unattributed = "(unattributed)";
}

public sealed record EventPage(IReadOnlyList<EventSummary> Items, string? NextCursor);

public sealed record EventDetail(
    EventSummary Summary,
    DateTimeOffset LastDeliveredAt,
    string RawBody,
    string PrettyBody);

/// <summary>Reads the event log for pages and the API: keyset paging by id, newest first.</summary>
public sealed class EventQueries(IDbContextFactory<DashboardDbContext> contexts)
{
    public const int MaxLimit = 500;

    public async Task<EventPage> ListAsync(EventFilter filter, int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await NewestAsync(await SourcesAsync(db, filter, cancellationToken), ParseCursor(cursor), limit + 1,
            q => q.Select(Summary), cancellationToken);
        var next = rows.Count > limit ? rows[limit - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new EventPage(await WithNamesAsync(db, rows.Take(limit).ToList(), cancellationToken), next);
    }

    /// <summary>One page by offset, with the total: what a paged grid needs.</summary>
    public async Task<(IReadOnlyList<EventSummary> Items, int Total)> PageAsync(EventFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = new List<EventSummary>();
        var total = 0;
        var skip = page * pageSize;
        // The parts are disjoint id ranges, newest first: the page is cut across them in that order.
        foreach (var source in await SourcesAsync(db, filter, cancellationToken))
        {
            var count = await source.CountAsync(cancellationToken);
            total += count;
            if (items.Count < pageSize && skip < count)
                items.AddRange(await source.OrderByDescending(e => e.Id).Skip(skip).Take(pageSize - items.Count).Select(Summary).ToListAsync(cancellationToken));
            skip = Math.Max(0, skip - count);
        }
        return (await WithNamesAsync(db, items, cancellationToken), total);
    }

    public async Task<EventDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (row is null) return null;
        var raw = Encoding.UTF8.GetString(row.RawBody);
        var summary = (await WithNamesAsync(db, [ToSummary(row)], cancellationToken))[0];
        return new EventDetail(summary, DateTimeOffset.FromUnixTimeMilliseconds(row.LastDeliveredAt), raw, Pretty(raw));
    }

    /// <summary>Every matching event, newest first, read in pages so memory stays flat however many there are.</summary>
    public async IAsyncEnumerable<(EventSummary Summary, string RawBody)> ExportAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int pageSize = 1000;
        long? before = null;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await NewestAsync(await SourcesAsync(db, filter, cancellationToken), before, pageSize, q => q, cancellationToken);
            var summaries = await WithNamesAsync(db, rows.Select(ToSummary).ToList(), cancellationToken);
            for (var i = 0; i < rows.Count; i++) yield return (summaries[i], Encoding.UTF8.GetString(rows[i].RawBody));
            if (rows.Count < pageSize) yield break;
            before = rows[^1].Id;
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> rows below <paramref name="before"/>, newest first, from parts that are disjoint
    /// id ranges given newest first: a later part is only read when the earlier ones did not fill the page.
    /// </summary>
    private static async Task<List<T>> NewestAsync<T>(IReadOnlyList<IQueryable<StoredEvent>> sources, long? before, int count,
        Func<IQueryable<StoredEvent>, IQueryable<T>> select, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        foreach (var source in sources)
        {
            var query = source;
            if (before is { } b) query = query.Where(e => e.Id < b);
            rows.AddRange(await select(query.OrderByDescending(e => e.Id).Take(count - rows.Count)).ToListAsync(cancellationToken));
            if (rows.Count >= count) break;
        }
        return rows;
    }

    /// <summary>
    /// The filtered log as disjoint parts, newest ids first. Free text of three characters or more is two parts cut at
    /// the last indexed id (read once here): the newest events the index does not hold yet, scanned, then the indexed
    /// ones, walked by the index newest first. Anything else is one part.
    /// </summary>
    private static async Task<IReadOnlyList<IQueryable<StoredEvent>>> SourcesAsync(DashboardDbContext db, EventFilter filter, CancellationToken cancellationToken)
    {
        var text = filter.Q?.Trim();
        // A NUL matches nothing; callers that talk to people say why.
        if (EventFilter.CheckSearch(text) is not null) return [Apply(db.Events.Where(_ => false), filter)];
        if (string.IsNullOrEmpty(text)) return [Apply(db.Events, filter)];
        if (text.Length < EventSearchSql.IndexedLength) return [Apply(db.EventsScannedFor(text, 0), filter)];
        var lastIndexed = await db.LastIndexedIdAsync(cancellationToken);
        return [Apply(db.EventsScannedFor(text, lastIndexed), filter), Apply(db.IndexedEventsContaining(text, lastIndexed), filter)];
    }

    /// <summary>Every filter but the free text, on one part of the log.</summary>
    internal static IQueryable<StoredEvent> Apply(IQueryable<StoredEvent> query, EventFilter filter)
    {
        query = query.AsNoTracking();
        // With an account, the page is read from the account's index, which carries each event's type and error code.
        // SQLite's planner has no statistics and would take a type or code index just as readily (an equality each),
        // then walk that type's or code's events across the fleet for the account's few. Compared as an expression
        // (`|| ''`), the type and code cannot choose an index, and are tested on the account's index entries.
        var byAccount = filter.Account == EventFilter.Unattributed || !string.IsNullOrWhiteSpace(filter.Account);
        if (!string.IsNullOrWhiteSpace(filter.Type))
        {
            var type = filter.Type.Trim().ToUpperInvariant();
            query = byAccount ? query.Where(e => e.EventType + "" == type) : query.Where(e => e.EventType == type);
        }
        if (filter.Account == EventFilter.Unattributed) query = query.Where(e => e.AccountId == null);
        else if (!string.IsNullOrWhiteSpace(filter.Account)) query = query.Where(e => e.AccountId == filter.Account.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Status)) query = query.Where(e => e.Status == filter.Status.Trim());
        if (!string.IsNullOrWhiteSpace(filter.ErrorCode))
        {
            var code = filter.ErrorCode.Trim();
            query = byAccount ? query.Where(e => e.ErrorCode + "" == code) : query.Where(e => e.ErrorCode == code);
        }
        if (filter.Since is { } since) query = query.Where(e => e.ReceivedAt >= since.ToUnixTimeMilliseconds());
        if (filter.Until is { } until) query = query.Where(e => e.ReceivedAt < until.ToUnixTimeMilliseconds());
        return query;
    }

    private static readonly System.Linq.Expressions.Expression<Func<StoredEvent, EventSummary>> Summary = e =>
        new EventSummary(e.Id, DateTimeOffset.FromUnixTimeMilliseconds(e.ReceivedAt), e.EventType, e.TypeSource, e.AccountId,
            e.AccountSource, e.Status, e.RequestId, e.ErrorCode, e.Message, e.Signature, e.DeliveryCount);

    private static readonly Func<StoredEvent, EventSummary> ToSummary = Summary.Compile();

    /// <summary>Adds the accounts' names in one small read per page, keeping the log query itself free of joins.</summary>
    private static async Task<IReadOnlyList<EventSummary>> WithNamesAsync(DashboardDbContext db, IReadOnlyList<EventSummary> rows, CancellationToken cancellationToken)
    {
        var names = await AccountNameQueries.LookupAsync(db, rows.Select(r => r.AccountId), cancellationToken);
        if (names.Count == 0) return rows;
        return rows.Select(r => r.AccountId is { } id && names.TryGetValue(id, out var n) ? r with { DisplayName = n.DisplayName, Email = n.Email } : r).ToList();
    }

    private static long? ParseCursor(string? cursor) =>
        long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool IsValidCursor(string? cursor) => cursor is null || ParseCursor(cursor) is not null;

    private static string Pretty(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return JsonSerializer.Serialize(document.RootElement, PrettyOptions);
        }
        catch (JsonException)
        {
            return raw;
        }
    }

    private static readonly JsonSerializerOptions PrettyOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
