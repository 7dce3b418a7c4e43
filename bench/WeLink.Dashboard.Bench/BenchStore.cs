using Npgsql;
using WeLink.Testing;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// Where the benchmark's dashboards keep their data: a SQLite file in the work folder (the default), or with
/// <c>--provider PostgreSQL</c> a database of its own per file name on a PostgreSQL server (<c>--postgres</c>, else
/// <c>WELINK_TEST_POSTGRES</c>), created by the dashboard and dropped at the end. The file path stays the name
/// throughout, so each measurement reads the same on both stores.
/// </summary>
public sealed class BenchStore : IDisposable
{
    private readonly string? _server;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly HashSet<string> _databases = new(StringComparer.Ordinal);

    private BenchStore(string? server) => _server = server;

    public static BenchStore From(string? provider, string? server)
    {
        if (provider is null || provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase)) return new BenchStore(null);
        if (!provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("--provider takes Sqlite or PostgreSQL");
        server ??= Environment.GetEnvironmentVariable(PostgresTestDatabase.ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new ArgumentException($"--provider PostgreSQL needs a server: --postgres \"Host=...;Username=...\" or {PostgresTestDatabase.ServerVariable}");
        return new BenchStore(server);
    }

    public bool PostgreSql => _server is not null;

    public string Name => PostgreSql ? "PostgreSQL" : "SQLite";

    /// <summary>The dashboard's settings (environment variables) for the store named by <paramref name="databasePath"/>.</summary>
    public Dictionary<string, string> Settings(string databasePath) => PostgreSql
        ? new() { ["Database__Provider"] = "PostgreSQL", ["ConnectionStrings__Dashboard"] = ConnectionString(databasePath) }
        : [];

    /// <summary>The connection string the dashboard (and the seeder) use for <paramref name="databasePath"/>.</summary>
    public string ConnectionString(string databasePath)
    {
        if (!PostgreSql) return $"Data Source={databasePath}";
        var name = $"welink_bench_{Path.GetFileNameWithoutExtension(databasePath).Replace('-', '_')}_{_suffix}";
        lock (_databases) _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(_server) { Database = name }.ConnectionString;
    }

    /// <summary>The product's write session on the store of <paramref name="databasePath"/>, for the seeder.</summary>
    public WeLink.Dashboard.Data.WriteSession OpenSession(string databasePath, TimeProvider time) => PostgreSql
        ? WeLink.Dashboard.Data.WriteSession.Open(new WeLink.Dashboard.Data.DashboardDatabase(ConnectionString(databasePath), WeLink.Dashboard.Data.DatabaseProvider.PostgreSQL), time)
        : WeLink.Dashboard.Data.WriteSession.Open(ConnectionString(databasePath) + ";Pooling=False", time);

    /// <summary>Bytes on disk: the file and the search index's file, with their WALs, or the PostgreSQL database's size.</summary>
    public long Size(string databasePath)
    {
        if (!PostgreSql)
            return new[] { databasePath, WeLink.Dashboard.Data.SearchIndexFile.PathFor(databasePath) }
                .SelectMany(file => new[] { file, file + "-wal" })
                .Sum(file => File.Exists(file) ? new FileInfo(file).Length : 0);
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(databasePath)) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        if (!PostgreSql) return;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        connection.Open();
        foreach (var name in _databases)
        {
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
    }
}
