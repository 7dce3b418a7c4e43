using Microsoft.EntityFrameworkCore;

namespace WeLink.Dashboard.Data.Sql;

/// <summary>Free-text search over the payloads, as EF queries the event log composes further.</summary>
public static class EventSearchSql
{
    /// <summary>
    /// Events whose payload contains <paramref name="text"/>, case-insensitive. Three characters or more: the
    /// trigram index finds it without a scan, and the newest events, not indexed yet (about a second's worth),
    /// are scanned. Shorter text has no trigram: the payloads are scanned (valid UTF-8, so their text view is exact).
    /// </summary>
    public static IQueryable<StoredEvent> EventsContaining(this DashboardDbContext db, string text) =>
        text.Length >= 3
            ? db.Events.FromSql(
                $"""
                SELECT e.* FROM EventSearch s JOIN Events e ON e.Id = s.rowid WHERE EventSearch MATCH {FtsPhrase(text)}
                UNION ALL
                SELECT * FROM Events WHERE Id > (SELECT COALESCE((SELECT rowid FROM EventSearch ORDER BY rowid DESC LIMIT 1), 0)) AND instr(lower(CAST(RawBody AS TEXT)), {text.ToLowerInvariant()}) > 0
                """)
            : db.Events.FromSql($"SELECT * FROM Events WHERE instr(lower(CAST(RawBody AS TEXT)), {text.ToLowerInvariant()}) > 0");

    /// <summary>The text as one FTS5 phrase: whatever it holds is matched literally.</summary>
    private static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
}
