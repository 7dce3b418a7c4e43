using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.IntegrationTests.Jobs;

/// <summary>
/// The lease and stored-limit statements (Data/Sql/LeaseSql, LimitSql) on each store, through the writer's
/// own session on a database the dashboard migrated: who gets a lease when, and the fixed-window count.
/// </summary>
public sealed class LeaseSqlTests : IDisposable
{
    private const long Now = 1_764_633_600_000;
    private readonly TestDirectory _dir = new();
    private PostgresTestDatabase? _postgres;

    public void Dispose()
    {
        _postgres?.Dispose();
        _dir.Dispose();
    }

    private WriteSession OpenSqlite()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        return WriteSession.Open(new DashboardDatabase($"Data Source={Path.Combine(_dir.Path, "dashboard.db")}"), TimeProvider.System);
    }

    private WriteSession OpenPostgreSql()
    {
        _postgres = new PostgresTestDatabase();
        using (DashboardApp.Start(_dir.Path, settings: _postgres.DashboardSettings()))
        {
        }
        return WriteSession.Open(new DashboardDatabase(_postgres.ConnectionString, DatabaseProvider.PostgreSQL), TimeProvider.System);
    }

    private static T InTransaction<T>(WriteSession session, Func<WriteSession, T> statement)
    {
        session.Begin();
        var result = statement(session);
        session.Commit();
        return result;
    }

    [Fact]
    [Trait("Provider", TestStore.SqliteOnly)]
    public void TryTakeLease_Sqlite_OnlyWhenFreeOwnOrExpired() => TakesOnlyWhenFreeOwnOrExpired(OpenSqlite());

    [Fact]
    [Trait("Provider", TestStore.PostgreSqlItself)]
    public void TryTakeLease_PostgreSql_OnlyWhenFreeOwnOrExpired() => TakesOnlyWhenFreeOwnOrExpired(OpenPostgreSql());

    [Fact]
    [Trait("Provider", TestStore.SqliteOnly)]
    public void TakeFromWindow_Sqlite_CountsWithinTheWindowThenStartsAnew() => CountsWithinTheWindow(OpenSqlite());

    [Fact]
    [Trait("Provider", TestStore.PostgreSqlItself)]
    public void TakeFromWindow_PostgreSql_CountsWithinTheWindowThenStartsAnew() => CountsWithinTheWindow(OpenPostgreSql());

    [Fact]
    [Trait("Provider", TestStore.SqliteOnly)]
    public void DeleteExpiredLimits_Sqlite_KeepsOnlyWhatStillLimits() => KeepsOnlyWhatStillLimits(OpenSqlite());

    [Fact]
    [Trait("Provider", TestStore.PostgreSqlItself)]
    public void DeleteExpiredLimits_PostgreSql_KeepsOnlyWhatStillLimits() => KeepsOnlyWhatStillLimits(OpenPostgreSql());

    private static void TakesOnlyWhenFreeOwnOrExpired(WriteSession opened)
    {
        using var session = opened;
        bool Take(string holder, long at) => InTransaction(session, s => s.TryTakeLease("job", holder, at, at + 1000));
        // The jobs of the app that migrated the database released theirs when it stopped: only ours from here.
        Assert.True(Take("a", Now));
        Assert.False(Take("b", Now + 10));
        Assert.True(Take("a", Now + 500)); // renewed: now runs to Now + 1500
        Assert.False(Take("b", Now + 1200));
        Assert.True(Take("b", Now + 1500)); // expired
        Assert.False(Take("a", Now + 1600));
        Assert.Equal(0, InTransaction(session, s => s.ReleaseLeases("a")));
        Assert.Equal(1, InTransaction(session, s => s.ReleaseLeases("b")));
        Assert.True(Take("a", Now + 1700)); // released: free at once
        Assert.True(InTransaction(session, s => s.TryTakeLease("other-job", "b", Now + 1700, Now + 2700)));
    }

    private static void CountsWithinTheWindow(WriteSession opened)
    {
        using var session = opened;
        RateLimitTake Take(string bucket, long at) => InTransaction(session, s => s.TakeFromWindow(bucket, at, 60_000));
        Assert.Equal(new RateLimitTake(1, Now), Take("pin:ada", Now));
        Assert.Equal(new RateLimitTake(2, Now), Take("pin:ada", Now + 1000));
        Assert.Equal(new RateLimitTake(1, Now + 2000), Take("pin:bob", Now + 2000));
        Assert.Equal(new RateLimitTake(3, Now), Take("pin:ada", Now + 59_999));
        Assert.Equal(new RateLimitTake(1, Now + 60_000), Take("pin:ada", Now + 60_000));
    }

    private static void KeepsOnlyWhatStillLimits(WriteSession opened)
    {
        using var session = opened;
        InTransaction(session, s =>
        {
            s.WriteLockout("locked", "10.0.0.1", 0, Now + 1000, Now);
            s.WriteLockout("lock-over", "10.0.0.1", 0, Now - 1, Now - 900_000);
            s.WriteLockout("counting", "10.0.0.1", 2, null, Now - 1000);
            s.WriteLockout("stale", "10.0.0.1", 2, null, Now - 90_000_000);
            s.TakeFromWindow("sign-in:10.0.0.1", Now - 1000, 60_000);
            s.TakeFromWindow("sign-in:10.0.0.2", Now - 120_000, 60_000);
            return 0;
        });

        var deleted = InTransaction(session, s => s.DeleteExpiredLimits(Now, Now - 60_000, Now - 86_400_000));

        Assert.Equal(3, deleted);
        Assert.Equal<(int, long?)?>((0, Now + 1000), InTransaction(session, s => s.ReadLockout("locked", "10.0.0.1")));
        Assert.Equal<(int, long?)?>((2, null), InTransaction(session, s => s.ReadLockout("counting", "10.0.0.1")));
        Assert.Null(InTransaction(session, s => s.ReadLockout("lock-over", "10.0.0.1")));
        Assert.Null(InTransaction(session, s => s.ReadLockout("stale", "10.0.0.1")));
        Assert.Equal(new RateLimitTake(2, Now - 1000), InTransaction(session, s => s.TakeFromWindow("sign-in:10.0.0.1", Now, 60_000)));
    }
}
