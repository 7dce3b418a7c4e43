using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Data;

/// <summary>
/// SQLite: the free-text search index (<c>EventSearch</c>, an FTS5 trigram table) lives in a database file of its
/// own beside the dashboard's (<c>welink-dashboard.db</c> → <c>welink-dashboard-search.db</c>). A file has one write
/// lock: in the dashboard's own file, every index write (a few ms, up to 30 with an FTS5 merge) held the writer while
/// webhooks waited for their acknowledgement. In its own file the index is written by
/// <see cref="Features.Events.EventSearchIndexer"/> on its own connection and thread, under its own lock, and never
/// makes a webhook wait. Every reading connection attaches the file as <see cref="Schema"/>
/// (<see cref="SearchIndexAttacher"/>), so searches name <c>EventSearch</c> as before. The index is derived from
/// <c>Events.RawBody</c>: when its file is missing, unreadable or belongs to another log, it is made again and refilled.
/// </summary>
public static class SearchIndexFile
{
    /// <summary>The name the index's file is attached under on every reading connection.</summary>
    public const string Schema = "search";

    /// <summary>
    /// The index: contentless (the text is in <c>Events.RawBody</c>), with deletes for retention, trigram tokens so that
    /// any substring of three characters or more is found without scanning the log.
    /// </summary>
    public const string CreateTableSql =
        "CREATE VIRTUAL TABLE IF NOT EXISTS EventSearch USING fts5(Body, content='', contentless_delete=1, tokenize='trigram')";

    /// <summary>
    /// How much of a transaction's index entries FTS5 keeps in memory before it writes them as a segment of their own
    /// (its <c>hashsize</c>, 1 MiB by default). At 1 MiB a transaction of a thousand payloads is already written as
    /// several small segments, and FTS5's merging rewrites every entry once more for each level of segments it has:
    /// with 32 MiB a transaction of up to 20,000 payloads is one segment, and a million payloads indexed 20,000 a
    /// transaction took 52 s against 96 (BENCHMARKS.md, twenty-sixth look). The memory is held only while a
    /// transaction is being indexed.
    /// </summary>
    public const int PendingBytes = 32 * 1024 * 1024;

    /// <summary>Sets <see cref="PendingBytes"/> in the index's own settings (its <c>_config</c> table, kept in its file).</summary>
    public static readonly string ConfigureSql = $"INSERT INTO EventSearch (EventSearch, rank) VALUES ('hashsize', {PendingBytes})";

    /// <summary>The index's <c>hashsize</c> setting; 0 when it has none (FTS5's default).</summary>
    public const string PendingBytesSql = "SELECT COALESCE((SELECT v FROM main.EventSearch_config WHERE k = 'hashsize'), 0)";

    /// <summary>The index's file for the dashboard's database file: its name with <c>-search</c> before the extension, in the same folder.</summary>
    public static string PathFor(string databaseFile)
    {
        if (string.IsNullOrEmpty(databaseFile) || databaseFile == ":memory:") return ":memory:";
        var directory = Path.GetDirectoryName(databaseFile) ?? "";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(databaseFile) + "-search" + Path.GetExtension(databaseFile));
    }

    /// <summary>The index's file for the dashboard's connection string.</summary>
    public static string PathForConnection(string connectionString) => PathFor(DatabaseFiles.FilePath(connectionString));

    /// <summary>The index's file opened as the main database (its own connection, no pooling), the dashboard's file attached as <c>events</c>.</summary>
    internal static SqliteConnection OpenForIndexing(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DataSource = PathForConnection(connectionString), Pooling = false, DefaultTimeout = 3 };
        // Its commits' log pages written a few large writes at a time, as the writer's (LogWriteVfs).
        LogWriteVfs.UseFor(builder);
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // NORMAL: the index is derived from the log, so a power cut may cost it its last writes (refilled from
            // the log, see LastIndexedSql) but never its consistency; its commits wait for no fsync.
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=2000;");
            Execute(connection, "ATTACH DATABASE $events AS events", ("$events", DatabaseFiles.FilePath(connectionString)));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes the index's file ready before anything reads: created with its table when missing; made again when it
    /// cannot be read, or when it holds events above the log's last one (the log was restored from an older copy, or
    /// the file belongs to another log). Answers whether it was made again (or new).
    /// </summary>
    public static bool Prepare(string connectionString, ILogger logger)
    {
        var path = PathForConnection(connectionString);
        if (path == ":memory:") return false;
        var existed = File.Exists(path) && new FileInfo(path).Length > 0;
        try
        {
            using var connection = OpenForIndexing(connectionString);
            Execute(connection, CreateTableSql);
            Configure(connection, logger);
            var lastIndexed = Scalar(connection, LastIndexedSql);
            var lastEvent = Scalar(connection, "SELECT COALESCE(MAX(Id), 0) FROM events.Events");
            if (lastIndexed <= lastEvent) return !existed;
            logger.LogWarning(
                "The search index holds events up to {LastIndexed} but the log ends at {LastEvent} (the database was restored or replaced): the index is made again from the log",
                lastIndexed, lastEvent);
        }
        catch (SqliteException ex)
        {
            logger.LogWarning("The search index's file could not be read ({Error}): it is made again from the log", ex.Message);
        }
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        using (var connection = OpenForIndexing(connectionString))
        {
            Execute(connection, CreateTableSql);
            Configure(connection, logger);
        }
        return true;
    }

    /// <summary>
    /// Gives the index <see cref="PendingBytes"/> when it does not have it yet (a new file, or one from an older build).
    /// A file that cannot be written now (a full disk, another writer) keeps FTS5's default until a later start: the
    /// setting costs only speed, and the index must not be made again for it.
    /// </summary>
    private static void Configure(SqliteConnection connection, ILogger logger)
    {
        if (Scalar(connection, PendingBytesSql) == PendingBytes) return;
        try
        {
            Execute(connection, ConfigureSql);
        }
        catch (SqliteException ex)
        {
            logger.LogWarning("The search index keeps FTS5's default buffer until a later start: {Error}", ex.Message);
        }
    }

    /// <summary>The highest event id in the index; every event at or below it is indexed (the indexer goes in id order).</summary>
    public const string LastIndexedSql = "SELECT COALESCE((SELECT rowid FROM main.EventSearch ORDER BY rowid DESC LIMIT 1), 0)";

    /// <summary>On a connection from <see cref="OpenForIndexing"/>: how many events the log holds past the last indexed one, at most.</summary>
    internal static long Backlog(SqliteConnection connection) =>
        Scalar(connection, $"SELECT COALESCE((SELECT MAX(Id) FROM events.Events), 0) - ({LastIndexedSql})");

    /// <summary>
    /// On a connection from <see cref="OpenForIndexing"/>: indexes up to <paramref name="batch"/> events past the last
    /// indexed one, in one transaction of the index's file (the log is only read); answers how many.
    /// </summary>
    internal static int IndexNewEvents(SqliteConnection connection, int batch)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            INSERT INTO main.EventSearch (rowid, Body)
            SELECT Id, CAST(RawBody AS TEXT) FROM events.Events WHERE Id > ({LastIndexedSql}) ORDER BY Id LIMIT $n
            """;
        command.Parameters.AddWithValue("$n", batch);
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// On a connection from <see cref="OpenForIndexing"/>: the ids of up to <paramref name="batch"/> events retention
    /// deleted from the log (<c>EventSearchDeletions</c>, written in the same transaction as the delete), and their
    /// entries deleted from the index. The caller then forgets the ids in the log's file.
    /// </summary>
    internal static long[] DeleteRetainedEvents(SqliteConnection connection, int batch)
    {
        var ids = new List<long>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT Id FROM events.EventSearchDeletions ORDER BY Id LIMIT $n";
            read.Parameters.AddWithValue("$n", batch);
            using var reader = read.ExecuteReader();
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        }
        if (ids.Count == 0) return [];
        using var transaction = connection.BeginTransaction(deferred: true);
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM main.EventSearch WHERE rowid = $id";
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            delete.Prepare();
            foreach (var each in ids)
            {
                id.Value = each;
                delete.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        return [.. ids];
    }

    /// <summary>
    /// On a connection from <see cref="OpenForIndexing"/>: takes every event retention listed out of the index, then
    /// out of the list (through the writer: the list is in the dashboard's file). Run by the indexer each round, and
    /// by retention before it hands the freed pages back, so that the list's pages are among them.
    /// </summary>
    internal static async Task TakeOutDeletedAsync(SqliteConnection connection, DashboardWriter writer, CancellationToken cancellationToken)
    {
        const int batch = 1000;
        long[] ids;
        while ((ids = DeleteRetainedEvents(connection, batch)).Length > 0)
        {
            await writer.ExecuteAsync(new ForgetSearchDeletions(ids), cancellationToken);
            if (ids.Length < batch) return;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A connection that writes the search index's own file (see <see cref="SearchIndexFile"/>), for its indexer, retention
/// and the bench's seeder. What goes wrong with the file (locked, full, unreadable) comes out as
/// <see cref="DatabaseUnavailableException"/>; the index is behind until the next try, nothing is lost.
/// </summary>
public sealed class SearchIndexWriter : IDisposable
{
    private readonly SqliteConnection _connection;

    private SearchIndexWriter(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens the index's file for the dashboard's <paramref name="connectionString"/>.</summary>
    public static SearchIndexWriter Open(string connectionString) => Unavailable(() => new SearchIndexWriter(SearchIndexFile.OpenForIndexing(connectionString)));

    /// <summary>How many events the log holds past the last indexed one, at most (ids retention or a rollback skipped count too).</summary>
    public long Backlog() => Unavailable(() => SearchIndexFile.Backlog(_connection));

    /// <summary>Indexes up to <paramref name="batch"/> events past the last indexed one, in one transaction; answers how many.</summary>
    public int IndexNewEvents(int batch) => Unavailable(() => SearchIndexFile.IndexNewEvents(_connection, batch));

    /// <summary>Takes every event retention listed out of the index, then out of the list (through <paramref name="writer"/>).</summary>
    public async Task TakeOutDeletedAsync(DashboardWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await SearchIndexFile.TakeOutDeletedAsync(_connection, writer, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new DatabaseUnavailableException($"The search index's file cannot be written: {ex.Message}", ex);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static T Unavailable<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException ex)
        {
            throw new DatabaseUnavailableException($"The search index's file cannot be written: {ex.Message}", ex);
        }
    }
}

/// <summary>Forgets the ids of deleted events that the search index no longer holds.</summary>
public sealed class ForgetSearchDeletions(long[] ids) : WriteOperation<int>
{
    public override int Apply(WriteSession session) => session.ForgetSearchDeletions(System.Text.Json.JsonSerializer.Serialize(ids));
}

/// <summary>
/// Attaches the search index's file (<see cref="SearchIndexFile"/>) to every connection EF opens on the dashboard's
/// SQLite file, once per underlying SQLite connection (a pooled connection keeps what it attached), and gives it the
/// searches' folding function (<see cref="EventSearchSql.FoldFunction"/>).
/// </summary>
public sealed class SearchIndexAttacher(string connectionString) : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<sqlite3, object> Attached = new();
    private static readonly object Marker = new();
    private readonly string _path = SearchIndexFile.PathForConnection(connectionString);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Attach(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Attach(connection);
        return Task.CompletedTask;
    }

    private void Attach(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite) return;
        // Searched text with letters beyond ASCII is compared through it (EventSearchSql.EventsScannedFor). Registered at
        // every open, unlike the attached file: a SQLite connection the pool hands to another connection object comes
        // back without it (registered once per handle, searches failed with "no such function"); registering again replaces it.
        sqlite.CreateFunction<string?, string?>(EventSearchSql.FoldFunction, EventSearchSql.Fold, isDeterministic: true);
        if (Attached.TryGetValue(handle, out _)) return;
        // Not made yet (the first start migrates before SearchIndexFile.Prepare makes it): attached at a later open.
        if (!File.Exists(_path)) return;
        using var command = sqlite.CreateCommand();
        command.CommandText = $"ATTACH DATABASE $path AS {SearchIndexFile.Schema}";
        command.Parameters.AddWithValue("$path", _path);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Unreadable (SearchIndexFile.Prepare makes it again at start): the connection serves all but search, and
            // attaches at a later open.
            return;
        }
        Attached.AddOrUpdate(handle, Marker);
    }
}
