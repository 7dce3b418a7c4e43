using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.PostgreSql;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary><c>Database:Provider</c>: SQLite unless told otherwise, and a clear refusal of anything else.</summary>
public sealed class DatabaseProviderTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // SQLite only: the default store is the file.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Start_NoProviderConfigured_UsesTheSqliteFile()
    {
        using var app = DashboardApp.Start(_dir.Path);

        Assert.Equal(DatabaseProvider.Sqlite, app.Services.GetRequiredService<DashboardDatabase>().Provider);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"sq-1"}""")).StatusCode);
        Assert.Equal(1L, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("1")]
    public void Start_UnknownProvider_RefusesNamingTheKeyAndTheChoices(string provider)
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?> { ["Database:Provider"] = provider });
        });
        Assert.Contains("Database:Provider must be Sqlite or PostgreSQL", error.ToString());
    }

    [Fact]
    public void Start_PostgreSqlWithoutConnectionString_RefusesNamingTheKey()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
            {
                ["Database:Provider"] = "postgresql",
                ["ConnectionStrings:Dashboard"] = "",
            });
        });
        Assert.Contains("ConnectionStrings:Dashboard is required with Database:Provider=PostgreSQL", error.ToString());
    }

    [Fact]
    public void PostgresTestDatabase_NoClusterVariable_FailsSayingToUseRunTests()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgresTestDatabase(server: null));
        Assert.Contains("./run-tests.sh", error.Message);
        Assert.Contains(PostgresTestDatabase.ServerVariable, error.Message);
    }

    [Fact]
    public void Model_PostgreSqlAgainstItsMigrations_NoPendingChangesAndSqliteHistoryUntouched()
    {
        using var postgres = new PostgreSqlDashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseNpgsql("Host=127.0.0.1").Options);
        Assert.False(postgres.Database.HasPendingModelChanges());
        Assert.Equal("20261202000231_PostgreSqlInitial", postgres.Database.GetMigrations().First());
        Assert.All(postgres.Database.GetMigrations(), id => Assert.Contains("_PostgreSql", id, StringComparison.Ordinal));

        // Each context sees its own set only.
        using var sqlite = new DashboardDbContext(new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.DoesNotContain(sqlite.Database.GetMigrations(), id => id.EndsWith("_PostgreSqlInitial", StringComparison.Ordinal));
    }
}
