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
    /// On SQLite, ASCII text is compared with SQLite's <c>lower()</c>, which folds ASCII letters only; text with other
    /// characters is compared through <see cref="FoldFunction"/>, which folds every letter as the trigram index does, so
    /// that an event answers the same before and after it is indexed (<c>ZÜRICH</c> for <c>zürich</c>).
    /// </summary>
    public static IQueryable<StoredEvent> EventsScannedFor(this DashboardDbContext db, string text, long lastIndexed)
    {
        if (db is PostgreSqlDashboardDbContext)
            return db.Events.FromSql($"""SELECT * FROM "Events" WHERE "Id" > {lastIndexed} AND strpos(lower(encode("RawBody", 'escape')), {EscapeEncoded(text)}) > 0""");
        return System.Text.Ascii.IsValid(text)
            ? db.Events.FromSql($"SELECT * FROM Events WHERE Id > {lastIndexed} AND instr(lower(CAST(RawBody AS TEXT)), {text.ToLowerInvariant()}) > 0")
            : db.Events.FromSqlRaw($"SELECT * FROM Events WHERE Id > {{0}} AND instr({FoldFunction}(CAST(RawBody AS TEXT)), {{1}}) > 0", lastIndexed, Fold(text)!);
    }

    /// <summary>
    /// The SQL function that folds text to lower case letter by letter over all of Unicode (<see cref="Fold"/>), where
    /// SQLite's <c>lower()</c> folds ASCII only. Every connection EF opens on SQLite has it (<see cref="SearchIndexAttacher"/>).
    /// </summary>
    public const string FoldFunction = "welink_fold";

    /// <summary>What <see cref="FoldFunction"/> answers: each letter in lower case (invariant culture), as the trigram index folds them.</summary>
    public static string? Fold(string? text) => text?.ToLowerInvariant();

    /// <summary>
    /// Indexed events (at or below <paramref name="lastIndexed"/>) whose payload contains <paramref name="text"/>
    /// (three characters or more), case-insensitive. The id is the index's rowid, so the composed
    /// <c>ORDER BY Id DESC</c> and <c>Id &lt; cursor</c> go to FTS5 itself: it hands out matches newest first
    /// and the page's <c>LIMIT</c> stops it; each match is then read from <c>Events</c> by primary key.
    /// </summary>
    public static IQueryable<StoredEvent> IndexedEventsContaining(this DashboardDbContext db, string text, long lastIndexed)
    {
        if (db is PostgreSqlDashboardDbContext)
            return db.Events.FromSql(
                $"""SELECT * FROM "Events" WHERE "Id" <= {lastIndexed} AND lower(encode("RawBody", 'escape')) LIKE {"%" + EscapeLike(EscapeEncoded(text)) + "%"}""");
        // In pieces, the index finds the events holding every piece, and the payload itself says whether they are in one run.
        return SearchedInPieces(text)
            ? db.Events.FromSqlRaw(IndexedInPiecesSql, FtsPieces(text), lastIndexed, text.ToLowerInvariant())
            : db.Events.FromSqlRaw(IndexedSql, FtsPhrase(text), lastIndexed);
    }

    private const string IndexedSql =
        """
        SELECT s.rowid AS Id, e.ReceivedAt, e.LastDeliveredAt, e.DeliveryCount, e.BodySha256, e.EventType, e.TypeSource, e.AccountId,
               e.AccountSource, e.Status, e.RequestId, e.ErrorCode, e.Message, e.Signature, e.RawBody
        FROM EventSearch s CROSS JOIN Events e ON e.Id = s.rowid
        WHERE EventSearch MATCH {0} AND s.rowid <= {1}
        """;

    private const string IndexedInPiecesSql = IndexedSql + " AND instr(lower(CAST(e.RawBody AS TEXT)), {2}) > 0";

    /// <summary>Text this long (and ASCII) is looked up in the index as <see cref="PieceLength"/>-character pieces, see <see cref="FtsPieces"/>.</summary>
    public const int PiecesFrom = 12;

    /// <summary>The length of each piece: measured best at 1,000,000 events (4, 6, 8 and 12 tried).</summary>
    public const int PieceLength = 6;

    /// <summary>
    /// Whether the text is looked up by its pieces. Only ASCII text: the payload check after the index is
    /// SQLite's <c>lower()</c>, which folds ASCII letters only, as the trigram index folds them; text with other
    /// letters keeps the one phrase, whose folding is the index's own.
    /// </summary>
    internal static bool SearchedInPieces(string text) => text.Length >= PiecesFrom && System.Text.Ascii.IsValid(text);

    /// <summary>
    /// A long text as an FTS5 AND of its consecutive <see cref="PieceLength"/>-character pieces (a last piece
    /// shorter than three characters joins the one before). One long phrase makes FTS5 intersect every one of its
    /// trigrams (34 for a request id) and check their positions in each event that holds them all, which is most
    /// of the log when some of them are common; each short phrase is matched on its own first, so the rare
    /// pieces keep the candidates few. At 1,000,000 events a request id's lookup went from 52 to 10 ms. The AND
    /// also finds events holding the pieces apart: the caller keeps only the payloads holding the whole text.
    /// </summary>
    internal static string FtsPieces(string text)
    {
        var pieces = new List<string>();
        for (var at = 0; at < text.Length; at += PieceLength) pieces.Add(text.Substring(at, Math.Min(PieceLength, text.Length - at)));
        if (pieces.Count > 1 && pieces[^1].Length < IndexedLength)
        {
            pieces[^2] += pieces[^1];
            pieces.RemoveAt(pieces.Count - 1);
        }
        return string.Join(" AND ", pieces.Select(FtsPhrase));
    }

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
