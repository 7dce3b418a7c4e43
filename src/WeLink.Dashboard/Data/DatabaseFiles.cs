using Microsoft.Data.Sqlite;

namespace WeLink.Dashboard.Data;

/// <summary>What hosting needs to know about the database without speaking its provider.</summary>
public static class DatabaseFiles
{
    /// <summary>The database file the connection string names (may be relative, <c>:memory:</c> or empty).</summary>
    public static string FilePath(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>The database file, as <see cref="FilePath(string)"/>.</summary>
    public static string FilePath(this DashboardDatabase database) => FilePath(database.ConnectionString);

    /// <summary>True when the database opens and answers a query on the migrations table.</summary>
    public static async Task<bool> AnswersAsync(this DashboardDatabase database, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return false;
        }
    }
}
