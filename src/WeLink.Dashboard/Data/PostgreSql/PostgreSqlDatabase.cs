using Npgsql;

namespace WeLink.Dashboard.Data.PostgreSql;

/// <summary>What hosting needs from a PostgreSQL database without speaking EF Core.</summary>
public static class PostgreSqlDatabase
{
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
