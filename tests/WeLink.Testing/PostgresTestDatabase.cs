using Npgsql;

namespace WeLink.Testing;

/// <summary>
/// A database of its own on the private PostgreSQL cluster that <c>./run-tests.sh</c> starts and names in
/// <see cref="ServerVariable"/>. Only the name is chosen here: the dashboard creates the database (that is
/// part of what is tested); <see cref="Dispose"/> drops it, whoever still holds a connection.
/// Without the variable the constructor throws, so a PostgreSQL test run by plain <c>dotnet test</c> fails
/// and says why instead of passing or skipping unseen.
/// </summary>
public sealed class PostgresTestDatabase : IDisposable
{
    public const string ServerVariable = "WELINK_TEST_POSTGRES";

    public PostgresTestDatabase() : this(Environment.GetEnvironmentVariable(ServerVariable))
    {
    }

    public PostgresTestDatabase(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set. The PostgreSQL tests need the private cluster that ./run-tests.sh starts: " +
                "run ./run-tests.sh (e.g. ./run-tests.sh --filter PostgreSql), not dotnet test directly.");
        Server = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
        Name = "welink_test_" + Guid.NewGuid().ToString("N")[..20];
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    /// <summary>The cluster's maintenance database, for checks outside the dashboard's database.</summary>
    public string Server { get; }

    public string Name { get; }

    /// <summary>The dashboard's connection string: the cluster, with this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Settings that start a <see cref="DashboardApp"/> on this database.</summary>
    public Dictionary<string, string?> DashboardSettings() => new()
    {
        ["Database:Provider"] = "PostgreSQL",
        ["ConnectionStrings:Dashboard"] = ConnectionString,
    };

    public bool Exists() => ScalarOn<long>(Server, "SELECT COUNT(*) FROM pg_database WHERE datname = @name", ("name", Name)) == 1;

    /// <summary>A query on this database, for assertions.</summary>
    public T Scalar<T>(string sql, params (string Name, object Value)[] parameters) =>
        ScalarOn<T>(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString, sql, parameters);

    /// <summary>A statement on this database; returns the rows it changed.</summary>
    public int Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteNonQuery();
    }

    private static T ScalarOn<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        // FORCE: a pooled connection the app left open must not keep the database alive.
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
