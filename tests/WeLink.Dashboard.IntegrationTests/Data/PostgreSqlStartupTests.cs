using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.PostgreSql;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The dashboard on <c>Database:Provider=PostgreSQL</c>, on the private cluster ./run-tests.sh starts
/// (<see cref="PostgresTestDatabase.ServerVariable"/>); each test names a database of its own that does not
/// exist yet and drops it afterwards.
/// </summary>
public sealed class PostgreSqlStartupTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly PostgresTestDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        _dir.Dispose();
    }

    private static IReadOnlyList<string> PostgreSqlMigrations()
    {
        using var db = new PostgreSqlDashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseNpgsql("Host=127.0.0.1").Options);
        return db.Database.GetMigrations().ToList();
    }

    private List<string> History()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, connection);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    [Fact]
    public async Task Start_PostgreSqlOnAMissingDatabase_CreatesItMigratesAndCreatesTheFirstAdmin()
    {
        Assert.False(_database.Exists());

        using var app = DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings());

        Assert.True(_database.Exists());
        Assert.Equal(DatabaseProvider.PostgreSQL, app.Services.GetRequiredService<DashboardDatabase>().Provider);
        Assert.NotEmpty(PostgreSqlMigrations());
        Assert.Equal(PostgreSqlMigrations(), History());
        Assert.Equal(1L, _database.Scalar<long>("""SELECT COUNT(*) FROM "Operators" """));
        Assert.Equal($"{DashboardApp.AdminUser}|Admin", _database.Scalar<string>("""SELECT "UserName" || '|' || "Role" FROM "Operators" """));
        // The EF model answers on PostgreSQL too: the app's own context reads the admin back.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync())
        {
            Assert.IsType<PostgreSqlDashboardDbContext>(db);
            Assert.Equal(DashboardApp.AdminUser, (await db.Operators.SingleAsync()).UserName);
        }

        var health = await app.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Start_PostgreSql_ModelDifferencesAreInTheSchema()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings());

        // Operator names are unique whatever their case, as SQLite's NOCASE made them.
        var duplicate = Assert.Throws<PostgresException>(() => _database.Execute(
            """INSERT INTO "Operators" ("UserName", "PasswordHash", "Role", "Disabled", "SecurityStamp", "CreatedAt", "FailedSignIns") VALUES ('ADMIN', 'x', 'Viewer', false, 's', 0, 0)"""));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        // Payloads are bytea; free-text search has its trigram index in place of the FTS5 table.
        Assert.Equal("bytea", _database.Scalar<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'Events' AND column_name = 'RawBody'"));
        Assert.Equal(1L, _database.Scalar<long>("SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'"));
        Assert.Contains("gin_trgm_ops", _database.Scalar<string>("SELECT indexdef FROM pg_indexes WHERE indexname = @name", ("name", PostgreSqlDashboardDbContext.PayloadTrigramIndex)));
    }

    [Fact]
    public async Task Start_TwoInstancesAtOnceOnANewDatabase_BothStartAndSchemaAndAdminExistOnce()
    {
        using var second = new TestDirectory();
        var starts = new[] { _dir.Path, second.Path }
            .Select(directory => Task.Run(() => DashboardApp.Start(directory, settings: _database.DashboardSettings())))
            .ToArray();
        var apps = await Task.WhenAll(starts);
        try
        {
            foreach (var app in apps)
                Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(PostgreSqlMigrations(), History());
            Assert.Equal(1L, _database.Scalar<long>("""SELECT COUNT(*) FROM "Operators" """));
        }
        finally
        {
            foreach (var app in apps) app.Dispose();
        }
    }

    [Fact]
    public async Task Start_PostgreSqlOnAMigratedDatabase_KeepsTheAdminAndTheHistory()
    {
        using (DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings()))
        {
        }
        var admin = _database.Scalar<string>("""SELECT "PasswordHash" FROM "Operators" """);

        using var again = DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings());

        Assert.Equal(PostgreSqlMigrations(), History());
        Assert.Equal(admin, _database.Scalar<string>("""SELECT "PasswordHash" FROM "Operators" """));
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task PostWebhook_PostgreSql_StoresTheEventAndKeepsRunning()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings());

        var response = await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"pg-1","result":{"connected":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1L, _database.Scalar<long>("""SELECT COUNT(*) FROM "Events" """));
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/accounts")]
    [InlineData("/api/pins")]
    [InlineData("/api/requests")]
    [InlineData("/api/overview")]
    [InlineData("/api/stats/errors")]
    [InlineData("/api/alerts")]
    public async Task GetApi_PostgreSql_ReadsThroughTheModelAnswer200(string route)
    {
        using var app = DashboardApp.Start(_dir.Path, settings: _database.DashboardSettings());

        var response = await app.Http.GetAsync(route);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
