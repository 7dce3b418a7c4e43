using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using Npgsql;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Data;

/// <summary>
/// The writer's connection (SQLite or PostgreSQL): prepared statements reused across batches, and the live
/// changes a batch will publish. Statements are written once; <see cref="Dialect"/> says how this store runs them.
/// </summary>
public sealed class WriteSession : IDisposable
{
    /// <summary>
    /// What the write-ahead log file is cut back to once it restarts (SQLite's <c>journal_size_limit</c>). Above what a
    /// second of full-speed ingest writes (about 90 MiB at 4,000 events/s): the log is then reused from its start, not cut
    /// back and regrown at each restart. The cut runs on the writer, inside the first commit after the restart, and took
    /// 21 ms on average, up to 97 ms, with 64 MiB (BENCHMARKS.md, twenty-third look).
    /// </summary>
    public const long WalSizeLimitBytes = 256L * 1024 * 1024;

    /// <summary>The writer's SQLite page cache (see <see cref="UsePageCache"/> for a bulk load's).</summary>
    public const int WriterCacheMiB = 32;

    private readonly DbConnection _connection;
    private readonly Dictionary<string, Prepared> _commands = new(StringComparer.Ordinal);
    private readonly List<LiveChange> _published = [];
    private Prepared? _last;
    private DbTransaction? _transaction;

    /// <summary>SQLite's write-ahead log, when this session's commits leave its sync to <see cref="SyncLog"/>.</summary>
    private readonly SafeFileHandle? _log;

    private WriteSession(DbConnection connection, SqlDialect dialect, TimeProvider time, SafeFileHandle? log = null)
    {
        _connection = connection;
        Dialect = dialect;
        Time = time;
        _log = log;
    }

    public TimeProvider Time { get; }

    /// <summary>How this store spells what differs (see <see cref="SqlDialect"/>).</summary>
    public SqlDialect Dialect { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A session on a SQLite file.</summary>
    public static WriteSession Open(string connectionString, TimeProvider time) => Open(new DashboardDatabase(connectionString), time);

    /// <summary>
    /// A session on the configured store. With <paramref name="syncLogApart"/> (the writer's), a SQLite session on Linux
    /// commits without waiting for the disk, and its owner makes the commits durable with <see cref="SyncLog"/> before it
    /// tells anyone they are stored (see <see cref="SyncsLogApart"/>); elsewhere every commit syncs the log itself.
    /// </summary>
    public static WriteSession Open(DashboardDatabase database, TimeProvider time, bool syncLogApart = false) =>
        database.Provider == DatabaseProvider.PostgreSQL
            ? OpenPostgreSql(database.ConnectionString, time)
            : OpenSqlite(database.ConnectionString, time, syncLogApart && OperatingSystem.IsLinux());

    private static WriteSession OpenPostgreSql(string connectionString, TimeProvider time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The writer runs the same few dozen statements for ever: Npgsql prepares them on the server after
        // their second use and reuses them (unless the connection string chose otherwise).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 200;
            builder.AutoPrepareMinUsages = 2;
        }
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new WriteSession(connection, SqlDialect.PostgreSql, time);
    }

    private static WriteSession OpenSqlite(string connectionString, TimeProvider time, bool syncLogApart = false)
    {
        // Microsoft.Data.Sqlite retries a busy database for its command timeout (30 s by default) on top of
        // busy_timeout: a file locked by another process would hold every batch (and the callers waiting on
        // it) for half a minute before they can answer 503. A few seconds is enough to ride out a checkpoint.
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 3 };
        // The log's pages of a transaction written with one system call instead of two a page (LogWriteVfs); a file only.
        LogWriteVfs.UseFor(builder);
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // Checkpoints run beside the writer (WalCheckpointer), not inside its commits.
            // FULL: an acknowledged event survives a power cut, not only a crash. Group commit pays for it once per batch
            // (the writer's own session syncs the log apart from its commits instead: see OpenLog and SyncLog).
            // A 32 MiB page cache: the random-key indexes (body hash, request id) would otherwise
            // re-read their pages from the file for almost every insert once the log is large.
            // journal_size_limit: open pages keep readers on the log, so under full-speed ingest it cannot restart
            // and grows (670 MB seen); once a checkpoint lets it restart, the file is cut back to this size
            // instead of keeping its largest size on disk for ever. Up to the limit it is reused, not regrown.
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=FULL; PRAGMA busy_timeout=2000; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-{WriterCacheMiB * 1024}; PRAGMA journal_size_limit={WalSizeLimitBytes};";
            pragma.ExecuteNonQuery();
        }
        SafeFileHandle? log = null;
        try
        {
            if (syncLogApart && (log = OpenLog(connection)) is not null)
            {
                // The log's pages are still written at each commit, and synced before the owner answers for it
                // (SyncLog): the same durability as FULL, without the writer waiting on the disk. SQLite still syncs
                // the log before each checkpoint, the file after it, and the log's header when the log starts over.
                using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous=NORMAL";
                pragma.ExecuteNonQuery();
            }
            return new WriteSession(connection, SqlDialect.Sqlite, time, log);
        }
        catch
        {
            log?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A descriptor of its own on the connection's write-ahead log, for <see cref="SyncLog"/>; null when the connection
    /// has none (not in WAL mode, an in-memory database). The log's file stays the same while the connection is open:
    /// SQLite removes it only when the last connection closes. SQLite holds no lock on the log itself (its locks are on
    /// the database and the shared-memory index), so this descriptor's close takes none of them with it.
    /// </summary>
    private static SafeFileHandle? OpenLog(SqliteConnection connection)
    {
        using (var mode = connection.CreateCommand())
        {
            mode.CommandText = "PRAGMA journal_mode";
            if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase)) return null;
        }
        if (string.IsNullOrEmpty(connection.DataSource) || !File.Exists(connection.DataSource + "-wal")) return null;
        return File.OpenHandle(connection.DataSource + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>The writes SQLite made to this session's log and the writes they became (see <see cref="LogWriteVfs"/>); null when its log is not on that file system.</summary>
    internal (long Taken, long Made)? LogWrites =>
        _connection is SqliteConnection sqlite && LogWriteVfs.LogWrites(sqlite) is var (taken, made, _) ? (taken, made) : null;

    /// <summary>Whether this session's commits wait for <see cref="SyncLog"/> to be durable (the writer's session on SQLite, on Linux).</summary>
    public bool SyncsLogApart => _log is not null;

    /// <summary>
    /// Makes every commit of this session so far durable: one <c>fdatasync</c> of the log, which may run on another
    /// thread while the session goes on with its next batch (what that batch writes meanwhile may or may not be
    /// included; the next sync covers it). Throws <see cref="IOException"/> when the disk failed.
    /// </summary>
    internal void SyncLog()
    {
        if (_log is null) return;
        SqliteFileSync.SyncData(_log);
    }

    public void Publish(LiveChange change) => _published.Add(change);

    internal List<LiveChange> TakePublished()
    {
        var copy = _published.ToList();
        _published.Clear();
        return copy;
    }

    /// <summary>Counter deltas summed over the batch (or, one by one, over the operation), written once per key before commit.</summary>
    internal Dictionary<CounterKey, long> PendingCounts { get; } = [];

    /// <summary>Accounts whose row this batch already touched, with the events counted on them since, written once before commit.</summary>
    internal Dictionary<string, Sql.PendingAccountEvents> PendingAccountEvents { get; } = new(StringComparer.Ordinal);

    /// <summary>Account states read in this batch, with what is stored and what the batch made of them (only the latest-action time waits).</summary>
    internal Dictionary<string, CachedAccountState> AccountStates { get; } = new(StringComparer.Ordinal);

    internal void Begin(List<WriteOperation>? batch = null)
    {
        _published.Clear();
        DiscardPending();
        // SQLite: BEGIN IMMEDIATE, the write lock up front. PostgreSQL: READ COMMITTED; rows the batch
        // computes from are read FOR UPDATE (see SqlDialect.ForUpdate), counters are additive upserts.
        _transaction = _connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : _connection.BeginTransaction();
        foreach (var prepared in _commands.Values) prepared.Command.Transaction = _transaction;
        if (batch is not null && !Dialect.IsSqlite) TakeWriteLocks(batch);
    }

    /// <summary>
    /// PostgreSQL: the batch's <see cref="WriteLocks"/> (its events, accounts and requests), sorted and taken
    /// before anything is written. Two instances storing the same events would otherwise each insert some
    /// and wait on the other's for the rest (a deadlock); now the second waits at the start and then finds
    /// them stored (duplicates). Released at commit or rollback.
    /// </summary>
    private void TakeWriteLocks(List<WriteOperation> batch)
    {
        var keys = new List<long>(batch.Count * 3);
        foreach (var operation in batch) operation.CollectLockKeys(keys);
        if (keys.Count == 0) return;
        keys.Sort();
        var unique = keys.Distinct().ToArray();
        // unnest hands the sorted array out in order, so the locks are taken in that order.
        Execute("SELECT pg_advisory_xact_lock(k) FROM unnest($keys) AS k", ("$keys", unique));
    }

    internal void Commit()
    {
        var start = Stopwatch.GetTimestamp();
        FlushPending();
        var sync = Stopwatch.GetTimestamp();
        _transaction!.Commit();
        IngestMetrics.RecordStatement(CommitStatement, sync);
        _transaction.Dispose();
        _transaction = null;
        // Statements run between batches (e.g. checkpoints) must not point at the finished transaction.
        foreach (var prepared in _commands.Values) prepared.Command.Transaction = null;
        IngestMetrics.Record(IngestMetrics.Commit, IngestMetrics.CommitStage, start);
    }

    /// <summary>Writes what the batch summed in memory: counters, accounts' event counts and latest events, latest-action times.</summary>
    internal void FlushPending()
    {
        Sql.CounterSql.WritePendingCounts(this);
        Sql.AccountSql.WritePendingAccountEvents(this);
        Sql.AccountSql.WritePendingAccountStates(this);
    }

    private void DiscardPending()
    {
        PendingCounts.Clear();
        PendingAccountEvents.Clear();
        AccountStates.Clear();
    }

    internal void Rollback()
    {
        _published.Clear();
        DiscardPending();
        try
        {
            _transaction?.Rollback();
        }
        catch (Exception)
        {
            // The connection is discarded by the caller; a failed rollback changes nothing.
        }
        _transaction?.Dispose();
        _transaction = null;
    }

    /// <summary>
    /// Applies <paramref name="operations"/> in one transaction on this session, outside the
    /// writer's queue and without savepoints (the first failure rolls all back). For bulk loads
    /// (the benchmark's seeding) into a file that no running dashboard writes to.
    /// </summary>
    public int ApplyAll(IEnumerable<WriteOperation> operations)
    {
        var count = 0;
        Begin();
        try
        {
            foreach (var operation in operations)
            {
                operation.ApplyBoxed(this);
                count++;
            }
            Commit();
        }
        catch
        {
            Rollback();
            throw;
        }
        _published.Clear();
        return count;
    }

    /// <summary>
    /// Checkpoints the WAL outside a batch (bulk loads, and the writer finishing the checkpointer's pass); answers
    /// whether it copied the whole log, so that the next batch starts the log over: not when another checkpoint
    /// was running, or a reader's snapshot held it back.
    /// </summary>
    public bool CheckpointWal(bool truncate = false)
    {
        if (!Dialect.IsSqlite) return true;
        // One row: busy, the log's length in pages, the pages copied into the file.
        return Rows(truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)",
            row => row.GetInt64(0) == 0 && row.GetInt64(1) == row.GetInt64(2)) is [true];
    }

    /// <summary>
    /// SQLite: the session's page cache, for a bulk load whose transactions dirty more pages than the writer's
    /// <see cref="WriterCacheMiB"/> hold (SQLite would otherwise spill them into the log before the commit and write many twice).
    /// </summary>
    public void UsePageCache(int mebibytes)
    {
        if (Dialect.IsSqlite) Run($"PRAGMA cache_size=-{checked(mebibytes * 1024)}");
    }

    internal void Savepoint() => Run("SAVEPOINT op");

    /// <summary>Ends an operation's savepoint; what it summed in memory is written inside it first.</summary>
    internal void Release()
    {
        FlushPending();
        Run("RELEASE op");
    }

    /// <summary>Undoes the operation; what the batch held in memory was written at the last release, so it is only dropped.</summary>
    internal void RollbackToSavepoint()
    {
        DiscardPending();
        Run("ROLLBACK TO op");
        Run("RELEASE op");
    }

    private void Run(string sql) => Execute(sql);

    /// <summary>A prepared command for <paramref name="sql"/> with its parameters set, in the current transaction.</summary>
    internal DbCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => Prepare(sql, false, parameters);

    /// <summary>
    /// <see cref="Command"/>; with <paramref name="withoutReturning"/>, the statement is prepared without its closing
    /// <c>RETURNING</c> clause (a given <paramref name="sql"/> is always prepared the same way).
    /// </summary>
    private DbCommand Prepare(string sql, bool withoutReturning, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var prepared))
        {
            var created = _connection.CreateCommand();
            created.CommandText = Dialect.Translate(withoutReturning ? WithoutReturning(sql) : sql);
            created.Transaction = _transaction;
            prepared = new Prepared(created, new("statement", StatementName(sql)));
            _commands[sql] = prepared;
        }
        _last = prepared;
        var command = prepared.Command;
        // The hot path: the same statement with the same parameter names; only the values change.
        var existing = command.Parameters;
        if (existing.Count == parameters.Length)
        {
            var same = true;
            // The names differ by store in their first character only ($now, @now).
            for (var i = 0; i < parameters.Length && same; i++) same = existing[i].ParameterName.AsSpan(1).SequenceEqual(parameters[i].Name.AsSpan(1));
            if (same)
            {
                if (Dialect.IsSqlite)
                {
                    for (var i = 0; i < parameters.Length; i++) existing[i].Value = parameters[i].Value ?? DBNull.Value;
                }
                else
                {
                    for (var i = 0; i < parameters.Length; i++) existing[i].Value = Dialect.Value(parameters[i].Value);
                }
                return command;
            }
        }
        existing.Clear();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = Dialect.ParameterName(name);
            parameter.Value = Dialect.Value(value);
            existing.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// Runs an <c>INSERT … RETURNING Id</c> and answers the new row's id, or null when it inserted nothing (<c>ON CONFLICT DO
    /// NOTHING</c>). On SQLite the statement runs without its <c>RETURNING</c> clause and the id is the connection's last
    /// inserted rowid: SQLite gives a statement with <c>RETURNING</c> a statement journal, a copy of every page it changes, so
    /// that it can be rolled back alone (the writer's hottest statements had one, and it spilled into a temporary file several
    /// times a second).
    /// </summary>
    internal long? InsertReturningId(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!Dialect.IsSqlite) return Scalar<long?>(sql, parameters);
        return ExecuteWithoutReturning(sql, parameters) == 0 ? null : SQLitePCL.raw.sqlite3_last_insert_rowid(((SqliteConnection)_connection).Handle);
    }

    /// <summary>
    /// SQLite: runs <paramref name="sql"/> without its closing <c>RETURNING</c> clause (see <see cref="InsertReturningId"/>);
    /// the caller reads what it needs with a statement of its own. Answers the rows changed.
    /// </summary>
    internal int ExecuteWithoutReturning(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var start = Stopwatch.GetTimestamp();
        var changed = Prepare(sql, true, parameters).ExecuteNonQuery();
        Timed(start);
        return changed;
    }

    private static string WithoutReturning(string sql)
    {
        var at = sql.LastIndexOf("RETURNING", StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException("The statement has no RETURNING clause.", nameof(sql));
        return sql[..at].TrimEnd();
    }

    internal int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var start = Stopwatch.GetTimestamp();
        var changed = Command(sql, parameters).ExecuteNonQuery();
        Timed(start);
        return changed;
    }

    internal T? Scalar<T>(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var start = Stopwatch.GetTimestamp();
        var value = Command(sql, parameters).ExecuteScalar();
        Timed(start);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    /// <summary>Runs <paramref name="sql"/> and maps each row with <paramref name="map"/>.</summary>
    internal List<T> Rows<T>(string sql, Func<DbDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var start = Stopwatch.GetTimestamp();
        var rows = new List<T>();
        using (var reader = Command(sql, parameters).ExecuteReader())
        {
            while (reader.Read()) rows.Add(map(reader));
        }
        Timed(start);
        return rows;
    }

    /// <summary>The first row of <paramref name="sql"/> mapped with <paramref name="map"/>, or null.</summary>
    internal T? Row<T>(string sql, Func<DbDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters) where T : class
    {
        var start = Stopwatch.GetTimestamp();
        T? row;
        using (var reader = Command(sql, parameters).ExecuteReader())
        {
            row = reader.Read() ? map(reader) : null;
        }
        Timed(start);
        return row;
    }

    /// <summary>Records the statement just run under its short name (the last one <see cref="Command"/> prepared).</summary>
    private void Timed(long start)
    {
        IngestMetrics.RecordStatement(_last!.Tag, start);
    }

    /// <summary>
    /// A short, stable name for a statement: its verb, its table and, for an UPDATE, its first column
    /// ("INSERT Events", "UPDATE Accounts.LastEventAt"), so a profile reads without the SQL.
    /// </summary>
    internal static string StatementName(string sql)
    {
        var words = sql.Split([' ', '\n', '\r', '\t', '(', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "?";
        var verb = words[0].ToUpperInvariant();
        string? After(string keyword)
        {
            var i = Array.FindIndex(words, w => w.Equals(keyword, StringComparison.OrdinalIgnoreCase));
            return i >= 0 && i + 1 < words.Length ? words[i + 1] : null;
        }
        return verb switch
        {
            "INSERT" => $"INSERT {After("INTO")}",
            "UPDATE" => $"UPDATE {words.ElementAtOrDefault(1)}.{After("SET")}",
            "DELETE" => $"DELETE {After("FROM")}",
            "SELECT" => $"SELECT {After("FROM")}",
            "PRAGMA" => $"PRAGMA {words.ElementAtOrDefault(1)?.Split('=', '(')[0]}",
            _ => verb,
        };
    }

    private sealed record Prepared(DbCommand Command, KeyValuePair<string, object?> Tag);

    /// <summary>The commit itself (on SQLite the log's pages written, and synced unless <see cref="SyncsLogApart"/>), apart from the summed writes before it.</summary>
    private static readonly KeyValuePair<string, object?> CommitStatement = new("statement", "COMMIT");

    public void Dispose()
    {
        foreach (var prepared in _commands.Values) prepared.Command.Dispose();
        _transaction?.Dispose();
        _connection.Dispose();
        _log?.Dispose();
    }
}
