using Microsoft.Data.Sqlite;
using Npgsql;

namespace WeLink.Dashboard.Data.PostgreSql;

/// <summary>What hosting needs from a PostgreSQL database without speaking EF Core.</summary>
public static class PostgreSqlDatabase
{
    /// <summary>
    /// What the writer is given on PostgreSQL until its statements are provider-neutral: a read-only SQLite
    /// file in a folder that does not exist, so every write fails as "database unavailable" (503, We-Link
    /// retries) and nothing is written anywhere else.
    /// </summary>
    internal static DashboardDatabase NoWritesYet { get; } = new(new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetTempPath(), "welink-postgresql-write-path-pending", Guid.NewGuid().ToString("N"), "none.db"),
        Mode = SqliteOpenMode.ReadOnly,
    }.ToString());

    /// <summary>True when the database opens and answers a query on the migrations table.</summary>
    public static async Task<bool> AnswersAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "__EFMigrationsHistory" """, connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }
}
