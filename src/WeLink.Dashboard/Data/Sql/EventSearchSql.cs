using System.Text;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data.PostgreSql;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>
/// Free-text search over the payloads, as EF queries the event log composes further (filters, the cursor,
/// newest first, a page). Three characters or more are searched in two disjoint parts, newest first:
/// the events the trigram index does not hold yet (about a second's worth, scanned) and the indexed ones,
/// which the index walks in descending id order so that a page stops reading after its last row
/// however many events match. Both parts are cut at the same last indexed id, read once by the caller,
/// so that no event is in both or in neither while the indexer moves on.
/// On PostgreSQL the trigram index (<see cref="PostgreSqlDashboardDbContext.PayloadTrigramIndex"/>, over
/// <c>lower(encode(RawBody, 'escape'))</c>) is on <c>Events</c> itself and current at every commit: every
/// event counts as indexed, the scanned part is empty, and the indexed part is a LIKE the index answers.
/// </summary>
public static class EventSearchSql
{
    /// <summary>Text shorter than this has no trigram: it is matched by scanning the payloads.</summary>
    public const int IndexedLength = 3;

    /// <summary>The highest event id in the search index; every event at or below it is indexed (the indexer goes in id order).</summary>
    public static Task<long> LastIndexedIdAsync(this DashboardDbContext db, CancellationToken cancellationToken) =>
        db is PostgreSqlDashboardDbContext ? Task.FromResult(long.MaxValue) : db.Database.SqlQuery<long>($"SELECT COALESCE((SELECT rowid FROM EventSearch ORDER BY rowid DESC LIMIT 1), 0) AS Value").SingleAsync(cancellationToken);

    /// <summary>
    /// Events above <paramref name="lastIndexed"/> whose payload contains <paramref name="text"/>, case-insensitive:
    /// the not-yet-indexed newest ones, scanned newest first from the primary key. With 0, every event (short text).
    /// </summary>
    public static IQueryable<StoredEvent> EventsScannedFor(this DashboardDbContext db, string text, long lastIndexed) => db is PostgreSqlDashboardDbContext
        ? db.Events.FromSql($"""SELECT * FROM "Events" WHERE "Id" > {lastIndexed} AND strpos(lower(encode("RawBody", 'escape')), {EscapeEncoded(text)}) > 0""")
        : db.Events.FromSql($"SELECT * FROM Events WHERE Id > {lastIndexed} AND instr(lower(CAST(RawBody AS TEXT)), {text.ToLowerInvariant()}) > 0");

    /// <summary>
    /// Indexed events (at or below <paramref name="lastIndexed"/>) whose payload contains <paramref name="text"/>
    /// (three characters or more), case-insensitive. The id is the index's rowid, so the composed
    /// <c>ORDER BY Id DESC</c> and <c>Id &lt; cursor</c> go to FTS5 itself: it hands out matches newest first
    /// and the page's <c>LIMIT</c> stops it; each match is then read from <c>Events</c> by primary key.
    /// </summary>
    public static IQueryable<StoredEvent> IndexedEventsContaining(this DashboardDbContext db, string text, long lastIndexed) => db is PostgreSqlDashboardDbContext
        ? db.Events.FromSql(
            $"""SELECT * FROM "Events" WHERE "Id" <= {lastIndexed} AND lower(encode("RawBody", 'escape')) LIKE {"%" + EscapeLike(EscapeEncoded(text)) + "%"}""")
        : db.Events.FromSql(
            $"""
            SELECT s.rowid AS Id, e.ReceivedAt, e.LastDeliveredAt, e.DeliveryCount, e.BodySha256, e.EventType, e.TypeSource, e.AccountId,
                   e.AccountSource, e.Status, e.RequestId, e.ErrorCode, e.Message, e.Signature, e.RawBody
            FROM EventSearch s CROSS JOIN Events e ON e.Id = s.rowid
            WHERE EventSearch MATCH {FtsPhrase(text)} AND s.rowid <= {lastIndexed}
            """);

    /// <summary>
    /// The text as it appears in <c>lower(encode(RawBody, 'escape'))</c>: its UTF-8 bytes, ASCII letters in lower
    /// case (as PostgreSQL's lower() leaves the escapes), bytes above 127 as <c>\ooo</c>, a backslash doubled.
    /// </summary>
    internal static string EscapeEncoded(string text)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b == (byte)'\\') encoded.Append(@"\\");
            else if (b is 0 or >= 0x80) encoded.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
            else encoded.Append(char.ToLowerInvariant((char)b));
        }
        return encoded.ToString();
    }

    /// <summary>Text matched literally by LIKE (whose escape character is the backslash).</summary>
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>The text as one FTS5 phrase: whatever it holds is matched literally.</summary>
    private static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
