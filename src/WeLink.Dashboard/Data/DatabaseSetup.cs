using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;
using Npgsql;
using WeLink.Dashboard.Data.PostgreSql;

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
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        // Resolved when first needed, so configuration added after the builder ran (tests) still counts.
        builder.Services.AddSingleton(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Kind;
            var configured = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
            return provider == DatabaseProvider.PostgreSQL
                ? new DashboardDatabase(configured!, DatabaseProvider.PostgreSQL)
                : new DashboardDatabase(ResolveConnectionString(configured, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        });
        builder.Services.AddDbContextFactory<DashboardDbContext, DashboardContextFactory>((sp, o) =>
        {
            var database = sp.GetRequiredService<DashboardDatabase>();
            if (database.Provider == DatabaseProvider.PostgreSQL) o.UseNpgsql(database.ConnectionString);
            else o.UseDashboardSqlite(database.ConnectionString);
        });
        builder.Services.AddSingleton<DashboardWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardWriter>());
        // Checkpoints are a SQLite WAL matter.
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DashboardDatabase>().Provider == DatabaseProvider.Sqlite
            ? ActivatorUtilities.CreateInstance<WalCheckpointer>(sp)
            : new NothingToRun());
        return builder;
    }

    /// <summary>EF on the dashboard's SQLite file, with the search index's own file attached to every connection (see <see cref="SearchIndexFile"/>).</summary>
    public static DbContextOptionsBuilder UseDashboardSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(new SearchIndexAttacher(connectionString));

    /// <summary>
    /// Prepares the database before anything reads or writes. SQLite: maps the squashed history, applies
    /// migrations, switches the file to WAL and runs the one-time upgrades. PostgreSQL: creates the
    /// database when missing and applies its own migration set under a lock (see <see cref="PostgreSqlStartup"/>).
    /// </summary>
    public static async Task MigrateDashboardDatabaseAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<DashboardDatabase>();
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            await PostgreSqlStartup.PrepareAsync(app.Services);
            return;
        }
        var factory = app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        var connectionString = database.ConnectionString;
        await SquashedMigrations.MapHistoryAsync(connectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SquashedMigrations)));
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await EventDigestUpgrade.RunAsync(connectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventDigestUpgrade)));
        await AccountStateUpgrade.RunAsync(connectionString, app.Services.GetRequiredService<TimeProvider>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountStateUpgrade)));
        await EnableIncrementalVacuumAsync(connectionString);
        if (SearchIndexFile.Prepare(connectionString, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SearchIndexFile))))
            app.Logger.LogInformation("The search index's file is new: the indexer fills it from the log in the background");
    }

    private sealed class NothingToRun : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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

/// <summary>The resolved connection string and its provider, for the writer and health checks.</summary>
public sealed record DashboardDatabase(string ConnectionString, DatabaseProvider Provider = DatabaseProvider.Sqlite);

/// <summary>The stores the dashboard runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>The <c>Database</c> section; the connection string itself is <c>ConnectionStrings:Dashboard</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (the default, an embedded file) or <c>PostgreSQL</c>; any case.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The provider named by <see cref="Provider"/>; null when it names none (the validator refuses that).</summary>
    internal DatabaseProvider? ParsedProvider =>
        Enum.GetValues<DatabaseProvider>().Select(p => (DatabaseProvider?)p)
            .FirstOrDefault(p => string.Equals(p.ToString(), Provider?.Trim(), StringComparison.OrdinalIgnoreCase));

    internal DatabaseProvider Kind => ParsedProvider ?? throw new InvalidOperationException("Database:Provider is not valid.");
}

/// <summary>Refuses to start on an unknown provider or a PostgreSQL connection string that is missing or malformed.</summary>
public sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.ParsedProvider is not { } provider)
            return ValidateOptionsResult.Fail(
                $"Database:Provider must be {string.Join(" or ", Enum.GetNames<DatabaseProvider>())}; '{options.Provider}' is not a supported database.");
        if (provider != DatabaseProvider.PostgreSQL) return ValidateOptionsResult.Success;

        var connectionString = configuration.GetConnectionString(DatabaseSetup.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{DatabaseSetup.ConnectionStringName} is required with Database:Provider=PostgreSQL (e.g. Host=127.0.0.1;Database=welink_dashboard;Username=welink;Password=...).");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.Host))
                return ValidateOptionsResult.Fail($"ConnectionStrings:{DatabaseSetup.ConnectionStringName} names no Host for PostgreSQL.");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // The message names the keyword at fault, never a value (the string holds a password).
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:{DatabaseSetup.ConnectionStringName} is not a PostgreSQL connection string: {ex.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Makes the context of the configured provider: the shared model on SQLite, the PostgreSQL context (its own
/// model adjustments and migrations) on PostgreSQL. Features only ever see <see cref="DashboardDbContext"/>.
/// </summary>
internal sealed class DashboardContextFactory(DbContextOptions<DashboardDbContext> options, DashboardDatabase database) : IDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext() => database.Provider == DatabaseProvider.PostgreSQL
        ? new PostgreSqlDashboardDbContext(options)
        : new DashboardDbContext(options);
}

/// <summary>Lets <c>dotnet ef</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DashboardDbContext>
{
    public DashboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite(DatabaseSetup.DefaultConnectionString).Options);
}
