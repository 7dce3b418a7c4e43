using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WeLink.Dashboard.Data;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "Dashboard";
    public const string DefaultConnectionString = "Data Source=data/welink-dashboard.db";

    /// <summary>
    /// The configured SQLite connection string with a relative file path made absolute against
    /// <paramref name="contentRoot"/>, so the file does not move with the working directory.
    /// </summary>
    public static string ResolveConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured);
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.GetFullPath(path, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        builder.Pooling = true;
        return builder.ToString();
    }

    public static WebApplicationBuilder AddDashboardDatabase(this WebApplicationBuilder builder)
    {
        // Resolved when first needed, so configuration added after the builder ran (tests) still counts.
        builder.Services.AddSingleton(sp => new DashboardDatabase(ResolveConnectionString(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName),
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        builder.Services.AddDbContextFactory<DashboardDbContext>((sp, o) => o.UseSqlite(sp.GetRequiredService<DashboardDatabase>().ConnectionString));
        builder.Services.AddSingleton<DashboardWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardWriter>());
        builder.Services.AddHostedService<WalCheckpointer>();
        return builder;
    }

    /// <summary>Applies migrations and switches the file to WAL before anything reads or writes.</summary>
    public static async Task MigrateDashboardDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        var connectionString = app.Services.GetRequiredService<DashboardDatabase>().ConnectionString;
        await SquashedMigrations.MapHistoryAsync(connectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SquashedMigrations)));
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await EventDigestUpgrade.RunAsync(connectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventDigestUpgrade)));
        await AccountStateUpgrade.RunAsync(connectionString, app.Services.GetRequiredService<TimeProvider>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountStateUpgrade)));
        await EnableIncrementalVacuumAsync(connectionString);
    }

    /// <summary>
    /// Retention deletes old rows; with <c>auto_vacuum=INCREMENTAL</c> it can hand the freed pages
    /// back (<c>PRAGMA incremental_vacuum</c>) so the file does not keep its largest size for ever.
    /// The mode only takes effect through a <c>VACUUM</c> once tables exist: instant on a new file,
    /// a one-time rewrite on a file made before this setting.
    /// </summary>
    private static async Task EnableIncrementalVacuumAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA auto_vacuum";
        if (Convert.ToInt64(await command.ExecuteScalarAsync()) == 2) return;
        command.CommandText = "PRAGMA auto_vacuum=INCREMENTAL; VACUUM;";
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The resolved connection string, for the writer and health checks.</summary>
public sealed record DashboardDatabase(string ConnectionString);

/// <summary>Lets <c>dotnet ef</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite(DatabaseSetup.DefaultConnectionString).Options);
}
