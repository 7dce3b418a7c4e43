using Npgsql;

namespace WeLink.Dashboard.Data.PostgreSql;

/// <summary>What hosting needs from a PostgreSQL database without speaking EF Core.</summary>
public static class PostgreSqlDatabase
{
    /// <summary>
    /// True when the database opens and answers a query on the migrations table. A pooled connection
    /// whose session the server ended (restart, <c>pg_terminate_backend</c>) can be lent before the pool
    /// notices and then fails its first command with 57P01; that says nothing about the server now, so
    /// the pool's idle connections are closed and one fresh connection decides.
    /// </summary>
    public static async Task<bool> AnswersAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        if (await QueryAsync(connectionString, cancellationToken)) return true;
        ForgetIdleConnections(connectionString);
        return await QueryAsync(connectionString, cancellationToken);
    }

    /// <summary>
    /// Closes the pool's idle connections to <paramref name="connectionString"/>. After the server ended its
    /// sessions, Npgsql can lend an idle one before it has seen the end, and each would fail one more
    /// request; called whenever a connection failed.
    /// </summary>
    public static void ForgetIdleConnections(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    private static async Task<bool> QueryAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "__EFMigrationsHistory" """, connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            return false;
        }
    }
}
