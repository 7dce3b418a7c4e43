using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Bench;

/// <summary>Which of the <c>Events</c> table's secondary indexes a measurement keeps.</summary>
public enum EventIndexes
{
    /// <summary>All of them, as the dashboard has them.</summary>
    All,

    /// <summary>Only the unique content digest, which a redelivery is told by: what durable, deduplicated acknowledgements need before any query route.</summary>
    DigestOnly,

    /// <summary>None: the row alone, redeliveries stored twice.</summary>
    None,
}

/// <summary>SQLite's own rate for the <c>Events</c> row alone, in durable batches of <see cref="Batch"/> rows.</summary>
public sealed record InsertRate(int Batch, EventIndexes Indexes, long Rows, double Seconds, double MsPerCommit)
{
    public double PerSecond => Rows / Seconds;

    /// <summary>The indexes kept, in the report's words.</summary>
    public string IndexesText => Indexes switch
    {
        EventIndexes.All => "the table's own",
        EventIndexes.DigestOnly => "the unique digest alone",
        _ => "none",
    };
}

/// <summary>
/// What the machine allows whatever the dashboard does: the disk's durable write, SQLite's bare insert, and the
/// search index alone taking in the payloads (<paramref name="Search"/>, rows/s in the seeder's transactions).
/// </summary>
public sealed record MachineLimits(Latencies Fsync, IReadOnlyList<InsertRate> Inserts, InsertRate? Search = null)
{
    public InsertRate? Rate(int batch, EventIndexes indexes) => Inserts.FirstOrDefault(r => r.Batch == batch && r.Indexes == indexes);
}

/// <summary>
/// The limits issue 14 asks to see beside each missed target, measured in the same run and on the same disk as the
/// dashboard's figures, with no dashboard running: how long one 4 KiB write takes to become durable (write and
/// <c>fsync</c>), and how fast SQLite alone stores the <c>Events</c> row (no projection, no search index, no HTTP),
/// with the statement, pragmas and indexes the writer uses, in <c>synchronous=FULL</c> transactions of one row (a
/// batch at 1 connection), 32 rows (a batch at 32 connections) and 256 (the writer's largest), and of 32 rows with
/// only the unique digest kept and with every secondary index dropped; and how fast the search index alone takes in
/// the payloads.
/// No checkpoint runs during a measurement, so each rate is an upper bound for the product's write path.
/// </summary>
public static class Limits
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;";

    private const string Insert =
        """
        INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountId, AccountSource,
                            Status, RequestId, ErrorCode, Message, Signature, RawBody)
        VALUES ($now, $now, 1, $sha, $type, 'Explicit', $account, 'Hinted', NULL, $request, NULL, NULL, 'Valid', $raw)
        """;

    /// <summary>
    /// Measures on copies of <paramref name="emptyDashboardFile"/> (a file the dashboard made: its schema and indexes)
    /// in <paramref name="work"/>, with <paramref name="events"/>' bodies, each rate for <paramref name="seconds"/>.
    /// </summary>
    public static MachineLimits Measure(string emptyDashboardFile, string work, IReadOnlyList<BenchEvent> events, double seconds)
    {
        var fsync = MeasureFsync(Path.Combine(work, "fsync.bin"), samples: 200);
        var digests = events.Select(e => SHA256.HashData(e.Body)).ToArray();
        var rates = new List<InsertRate>();
        foreach (var (batch, indexes) in new[] { (1, EventIndexes.All), (32, EventIndexes.All), (32, EventIndexes.DigestOnly), (32, EventIndexes.None), (256, EventIndexes.All) })
            rates.Add(OnCopy(emptyDashboardFile, Path.Combine(work, $"limit-{batch}-{indexes}.db"),
                copy => MeasureInserts(copy, events, digests, batch, indexes, TimeSpan.FromSeconds(seconds))));
        var search = OnCopy(emptyDashboardFile, Path.Combine(work, "limit-search.db"),
            copy => MeasureSearchIndex(copy, events, SearchTransaction, TimeSpan.FromSeconds(seconds)));
        return new MachineLimits(fsync, rates, search);
    }

    /// <summary>Runs <paramref name="measure"/> on a fresh copy of the dashboard's file at <paramref name="copy"/>, deleted after.</summary>
    private static InsertRate OnCopy(string emptyDashboardFile, string copy, Func<string, InsertRate> measure)
    {
        File.Copy(emptyDashboardFile, copy, overwrite: true);
        // A log the dashboard left behind holds part of the schema.
        if (File.Exists(emptyDashboardFile + "-wal")) File.Copy(emptyDashboardFile + "-wal", copy + "-wal", overwrite: true);
        try
        {
            return measure(copy);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(copy + suffix);
        }
    }

    /// <summary>The payloads a search-index transaction takes in, as the seeder's (<c>Seeder.TransactionSize</c>).</summary>
    public const int SearchTransaction = Seeder.TransactionSize;

    /// <summary>
    /// The search index alone (the dashboard's FTS5 trigram table, nothing else written) taking in the bench's payloads
    /// in durable transactions of <paramref name="batch"/>, the seeder's size: what indexing a backlog costs whatever
    /// stores the rows. The index is empty at the start, so its merges are the smallest they get: an upper bound.
    /// </summary>
    private static InsertRate MeasureSearchIndex(string path, IReadOnlyList<BenchEvent> events, int batch, TimeSpan duration)
    {
        using var connection = Open(path);
        using (var create = connection.CreateCommand())
        {
            // As the index's own file is written (see SearchIndexFile): its table and settings, commits without waiting for an fsync.
            create.CommandText = WeLink.Dashboard.Data.SearchIndexFile.CreateTableSql + "; " +
                WeLink.Dashboard.Data.SearchIndexFile.ConfigureSql + "; PRAGMA synchronous=NORMAL;";
            create.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO EventSearch (rowid, Body) VALUES ($id, $body)";
        var id = insert.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
        var body = insert.Parameters.Add(new SqliteParameter { ParameterName = "$body" });
        insert.Prepare();
        var texts = events.Select(e => System.Text.Encoding.UTF8.GetString(e.Body)).ToArray();
        // The payloads are taken again in turn: the index only needs text, and every row id is new.
        return TimedTransactions(connection, insert, batch, EventIndexes.All, duration, long.MaxValue, row =>
        {
            id.Value = row + 1;
            body.Value = texts[row % texts.Length];
        });
    }

    /// <summary>A 4 KiB write at a random place of a 64 MiB file, then <c>fsync</c>: the disk's price of one durable acknowledgement.</summary>
    private static Latencies MeasureFsync(string path, int samples)
    {
        const int size = 64 * 1024 * 1024;
        var latencies = new Latencies();
        var block = new byte[4096];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None))
        {
            file.SetLength(size);
            file.Flush(flushToDisk: true);
            for (var i = 0; i < samples; i++)
            {
                Random.Shared.NextBytes(block);
                var start = Stopwatch.GetTimestamp();
                file.Position = Random.Shared.Next(size / block.Length) * (long)block.Length;
                file.Write(block);
                file.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        File.Delete(path);
        return latencies;
    }

    private static InsertRate MeasureInserts(string path, IReadOnlyList<BenchEvent> events, byte[][] digests, int batch, EventIndexes indexes, TimeSpan duration)
    {
        using var connection = Open(path);
        if (indexes != EventIndexes.All)
        {
            using var setup = connection.CreateCommand();
            setup.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Events' AND sql IS NOT NULL"
                + (indexes == EventIndexes.DigestOnly ? " AND sql NOT LIKE '%UNIQUE%'" : "");
            var names = new List<string>();
            using (var reader = setup.ExecuteReader())
                while (reader.Read()) names.Add(reader.GetString(0));
            foreach (var name in names)
            {
                setup.CommandText = $"DROP INDEX \"{name}\"";
                setup.ExecuteNonQuery();
            }
        }
        // With the digest's index, the writer's own statement: a redelivery is told by the unique content digest.
        using var insert = connection.CreateCommand();
        insert.CommandText = Insert + (indexes != EventIndexes.None ? " ON CONFLICT (BodySha256) DO NOTHING RETURNING Id" : " RETURNING Id");
        var parameters = new[] { "$now", "$sha", "$type", "$account", "$request", "$raw" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();
        return TimedTransactions(connection, insert, batch, indexes, duration, events.Count, row =>
        {
            var e = events[(int)row];
            parameters[0].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            parameters[1].Value = digests[row];
            parameters[2].Value = e.EventType;
            parameters[3].Value = (object?)e.AccountId ?? DBNull.Value;
            parameters[4].Value = e.RequestId;
            parameters[5].Value = e.Body;
        });
    }

    /// <summary>The file opened as the writer opens it (its pragmas), without pooling, so that the copy can be deleted after.</summary>
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = Pragmas;
        setup.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// <paramref name="insert"/> run <paramref name="batch"/> times a durable transaction, <paramref name="bind"/> setting
    /// row n's values each time, for <paramref name="duration"/> (at least one transaction) and at most
    /// <paramref name="available"/> rows: the rate and the mean time of a commit.
    /// </summary>
    private static InsertRate TimedTransactions(SqliteConnection connection, SqliteCommand insert, int batch, EventIndexes indexes, TimeSpan duration,
        long available, Action<long> bind)
    {
        long rows = 0;
        var commits = 0;
        double commitMs = 0;
        var watch = Stopwatch.StartNew();
        while ((commits == 0 || watch.Elapsed < duration) && rows + batch <= available)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            for (var i = 0; i < batch; i++, rows++)
            {
                bind(rows);
                insert.ExecuteScalar();
            }
            var start = Stopwatch.GetTimestamp();
            transaction.Commit();
            commitMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            commits++;
        }
        return new InsertRate(batch, indexes, rows, watch.Elapsed.TotalSeconds, commits == 0 ? double.NaN : commitMs / commits);
    }

    /// <summary>One line for the console.</summary>
    public static string Line(MachineLimits limits) => string.Join("; ",
        new[] { string.Create(CultureInfo.InvariantCulture, $"4 KiB write + fsync p50 {Format.Ms(limits.Fsync.Percentile(50))} p99 {Format.Ms(limits.Fsync.Percentile(99))} ms") }
            .Concat(limits.Inserts.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"Events alone, {r.Batch}-row batches, secondary indexes {r.IndexesText}: {r.PerSecond:N0} rows/s ({Format.Ms(r.MsPerCommit)} ms a commit)")))
            .Concat(limits.Search is { } search
                ? [string.Create(CultureInfo.InvariantCulture, $"the search index alone, {search.Batch:N0} payloads a transaction: {search.PerSecond:N0} payloads/s")]
                : []));
}
