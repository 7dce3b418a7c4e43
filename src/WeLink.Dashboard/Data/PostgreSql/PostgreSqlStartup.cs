using Microsoft.EntityFrameworkCore;
using Npgsql;
using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.Data.PostgreSql;

/// <summary>
/// Start-up on PostgreSQL: the database is created when missing, then migrations and the first admin run
/// under one session-level advisory lock, so instances started together (behind one load balancer)
/// migrate once and create the admin once; the others wait, then find both done.
/// </summary>
public static class PostgreSqlStartup
{
    /// <summary>The advisory lock every dashboard instance takes at start ("WeLink" and 1, as a 64-bit key).</summary>
    public const long StartupLockKey = 0x57_65_4C_69_6E_6B_00_01;

    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var database = services.GetRequiredService<DashboardDatabase>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PostgreSqlStartup));
        await CreateDatabaseIfMissingAsync(database.ConnectionString, logger, cancellationToken);

        // Pooling off: the lock belongs to this session, which must really end (and let go) when disposed.
        await using var lockConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", StartupLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var factory = services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} PostgreSQL migrations: {Migrations}", pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
            await services.GetRequiredService<FirstOperatorSetup>().CreateIfNoneAsync(db, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", StartupLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Creates the database through the server's <c>postgres</c> database when connecting to it says it does not
    /// exist. A database that exists is never touched, so a role without CREATEDB works once an administrator made it.
    /// </summary>
    private static async Task CreateDatabaseIfMissingAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            await using var probe = new NpgsqlConnection(target.ConnectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }

        var name = target.Database ?? target.Username ?? throw new InvalidOperationException("The PostgreSQL connection string names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(name)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created the PostgreSQL database {Database}", name);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it between the probe and here: the same outcome.
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
