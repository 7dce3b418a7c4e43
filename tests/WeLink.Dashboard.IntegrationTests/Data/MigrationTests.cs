using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.IntegrationTests.Infrastructure;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>The one initial migration: it matches the model, and files made by the six it replaced keep working.</summary>
public sealed class MigrationTests : IDisposable
{
    /// <summary>Made by the build before the squash (see tests/Fixtures/README.md): six history rows, four events, one pending PIN.</summary>
    private static readonly string OldFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "databases", "dashboard-2026-12-01.db");

    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => Path.Combine(_dir.Path, "dashboard.db");

    private static List<string> History(DashboardApp app)
    {
        using var connection = app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>The initial migration, then those added since (each branch may add one; they are regenerated on merge).</summary>
    private static IReadOnlyList<string> AllMigrations()
    {
        using var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite("Data Source=:memory:").Options);
        return db.Database.GetMigrations().ToList();
    }

    private static List<string> Schema(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // FTS5 shadow tables follow from the virtual table; the lock table is EF's, made while migrating.
        command.CommandText =
            // Tables added by migrations after the squash (GatewayCalls) are not in the old file; the model test covers them.
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'EventSearch_%' AND name <> '__EFMigrationsLock' "
            + "AND tbl_name NOT IN ('GatewayCalls') ORDER BY sql";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static void Run(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Model_AgainstTheMigrations_NoPendingChanges()
    {
        using var db = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite($"Data Source={DatabasePath}").Options);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(SquashedMigrations.InitialId, db.Database.GetMigrations().First());
    }

    [Fact]
    public void Startup_NewFile_SameSchemaAsTheSixOldMigrationsMade()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(Schema(OldFile), Schema(DatabasePath));
    }

    [Fact]
    public async Task Startup_FileMadeByTheOldMigrations_HistoryMappedAndFileKeepsWorking()
    {
        File.Copy(OldFile, DatabasePath);
        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations(), History(app));
        Assert.Equal(4, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        // An old event is still found by text, and its redelivery is still a duplicate.
        var search = await app.Http.GetStringAsync("/api/events?q=req-login-0002");
        Assert.Contains("LOGIN_PIN_REQUIRED", search);
        var pinBody = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "events", "LOGIN_PIN_REQUIRED.json"));
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(pinBody)).StatusCode);
        Assert.Equal(2, app.Scalar<long>("SELECT DeliveryCount FROM Events WHERE RequestId = 'req-login-0002'"));
        // New deliveries go on being stored and projected.
        var fresh = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"req-after-squash","account_id":"acc-squash","result":{"connected":true}}""", DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(fresh)).StatusCode);
        Assert.Equal(5, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(1, app.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-squash'"));
    }

    [Fact]
    public void Startup_FileMadeBeforeSignInRecords_TableAddedAndHistoryMapped()
    {
        File.Copy(OldFile, DatabasePath);
        Run(DatabasePath, "DROP TABLE SignIns; DELETE FROM __EFMigrationsHistory WHERE MigrationId = '20261201144739_SignInRecords';");

        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(AllMigrations(), History(app));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM SignIns"));
        SqliteConnection.ClearAllPools();
        Assert.Equal(Schema(OldFile), Schema(DatabasePath));
    }
}
