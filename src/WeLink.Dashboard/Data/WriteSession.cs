using Microsoft.Data.Sqlite;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Data;

/// <summary>The writer's connection: prepared statements reused across batches, and the live changes a batch will publish.</summary>
public sealed class WriteSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly List<LiveChange> _published = [];
    private SqliteTransaction? _transaction;

    private WriteSession(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        Time = time;
    }

    public TimeProvider Time { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static WriteSession Open(string connectionString, TimeProvider time)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // Checkpoints run beside the writer (WalCheckpointer), not inside its commits.
            // FULL: an acknowledged event survives a power cut, not only a crash. Group commit pays for it once per batch.
            // A 32 MiB page cache: the random-key indexes (body hash, request id) would otherwise
            // re-read their pages from the file for almost every insert once the log is large.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=FULL; PRAGMA busy_timeout=2000; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-32768;";
            pragma.ExecuteNonQuery();
        }
        return new WriteSession(connection, time);
    }

    public void Publish(LiveChange change) => _published.Add(change);

    internal List<LiveChange> TakePublished()
    {
        var copy = _published.ToList();
        _published.Clear();
        return copy;
    }

    internal void Begin()
    {
        _published.Clear();
        _transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in _commands.Values) command.Transaction = _transaction;
    }

    internal void Commit()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        // Statements run between batches (e.g. checkpoints) must not point at the finished transaction.
        foreach (var command in _commands.Values) command.Transaction = null;
    }

    internal void Rollback()
    {
        _published.Clear();
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

    /// <summary>Checkpoints the WAL outside a batch (bulk loads; the dashboard's checkpointer does it otherwise).</summary>
    public void CheckpointWal(bool truncate = false) => Run(truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)");

    /// <summary>Events not in the search index yet.</summary>
    public long UnindexedEventCount() => Scalar<long>($"SELECT COUNT(*) FROM Events WHERE Id > {Sql.EventSql.LastIndexed}");

    internal void Savepoint() => Run("SAVEPOINT op");
    internal void Release() => Run("RELEASE op");

    internal void RollbackToSavepoint()
    {
        Run("ROLLBACK TO op");
        Run("RELEASE op");
    }

    private void Run(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>A prepared command for <paramref name="sql"/> with its parameters set, in the current transaction.</summary>
    internal SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _transaction;
            _commands[sql] = command;
        }
        // The hot path: the same statement with the same parameter names; only the values change.
        var existing = command.Parameters;
        if (existing.Count == parameters.Length)
        {
            var same = true;
            for (var i = 0; i < parameters.Length && same; i++) same = existing[i].ParameterName == parameters[i].Name;
            if (same)
            {
                for (var i = 0; i < parameters.Length; i++) existing[i].Value = parameters[i].Value ?? DBNull.Value;
                return command;
            }
        }
        existing.Clear();
        foreach (var (name, value) in parameters) existing.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    internal int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Command(sql, parameters).ExecuteNonQuery();

    internal T? Scalar<T>(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var value = Command(sql, parameters).ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    /// <summary>Runs <paramref name="sql"/> and maps each row with <paramref name="map"/>.</summary>
    internal List<T> Rows<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    /// <summary>The first row of <paramref name="sql"/> mapped with <paramref name="map"/>, or null.</summary>
    internal T? Row<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters) where T : class
    {
        using var reader = Command(sql, parameters).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _transaction?.Dispose();
        _connection.Dispose();
    }
}
