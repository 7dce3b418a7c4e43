using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Alerts;

namespace WeLink.Dashboard.IntegrationTests.Alerts;

/// <summary>
/// The ErrorSpike rule's read on a real, migrated file with a long log before the window: the timer runs it every
/// few seconds, idle or not, so it must find the window's first event with one seek, not by reading the log up to it.
/// </summary>
// SQLite only: the rows are written straight into the file and the plan is SQLite's.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class ErrorSpikeWindowTests : IDisposable
{
    private const long Now = 1_796_000_000_000;
    private static readonly long Since = Now - (long)TimeSpan.FromMinutes(15).TotalMilliseconds;

    private readonly TestDirectory _dir = new();

    public ErrorSpikeWindowTests()
    {
        DashboardApp.Start(_dir.Path).Dispose();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => Path.Combine(_dir.Path, "dashboard.db");

    private DashboardDbContext Open() => new(new DbContextOptionsBuilder<DashboardDbContext>()
        .UseSqlite($"Data Source={DatabasePath};Pooling=False").Options);

    /// <summary>
    /// 20,000 events over the two days before the window (half of them PROXY_ERROR), then in the window, from its first
    /// millisecond, 25 PROXY_ERROR, 3 PROFILE_NOT_FOUND and 2 without a code; the day's error counters name both codes.
    /// </summary>
    private void WriteLog()
    {
        var day = Now - Now % EventCounters.DayMs;
        var before = Since - 2 * EventCounters.DayMs;
        TestStore.Rows(DatabasePath, $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountSource, Status, ErrorCode, Signature, RawBody)
            SELECT {before} + i * 8000, {before} + i * 8000, 1, randomblob(32), 'CONNECTION_FAILED', 'Explicit', 'Unknown', 'FAILED',
                   CASE WHEN i % 2 = 0 THEN 'PROXY_ERROR' END, 'VerifiedNode', x'7b7d' FROM n;
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29)
            INSERT INTO Events (ReceivedAt, LastDeliveredAt, DeliveryCount, BodySha256, EventType, TypeSource, AccountSource, Status, ErrorCode, Signature, RawBody)
            SELECT {Since} + i * 1000, {Since} + i * 1000, 1, randomblob(32), 'CONNECTION_FAILED', 'Explicit', 'Unknown', 'FAILED',
                   CASE WHEN i < 25 THEN 'PROXY_ERROR' WHEN i < 28 THEN 'PROFILE_NOT_FOUND' END, 'VerifiedNode', x'7b7d' FROM n;
            INSERT INTO DailyErrorCounts (Day, ErrorCode, AccountKey, Count, RunningCount) VALUES
                ({day}, 'PROXY_ERROR', '', 25, 10025), ({day}, 'PROFILE_NOT_FOUND', '', 3, 3);
            """);
        // The last old event lies before the window: the window starts with the event at its first millisecond.
        Assert.True(SqliteFile.Scalar<long>(DatabasePath, "SELECT MAX(ReceivedAt) FROM Events WHERE Id <= 20000") < Since);
    }

    [Fact]
    public async Task ErrorSpikes_LongLogBeforeTheWindow_CountsOnlyTheWindowsEventsFromItsFirstMillisecond()
    {
        WriteLog();
        await using var db = Open();

        Assert.Equal(20_001, await AlertTimer.FirstEventIdSince(db, Since).FirstOrDefaultAsync());
        Assert.Equal([("PROXY_ERROR", 25L)], await AlertTimer.ErrorSpikesAsync(db, Since, threshold: 20, CancellationToken.None));
        Assert.Equal([("PROFILE_NOT_FOUND", 3L), ("PROXY_ERROR", 25L)],
            (await AlertTimer.ErrorSpikesAsync(db, Since, threshold: 3, CancellationToken.None)).OrderBy(s => s.Code, StringComparer.Ordinal));
        // One millisecond later the window has lost its first PROXY_ERROR; past every event it is empty.
        Assert.Equal([("PROXY_ERROR", 24L)], await AlertTimer.ErrorSpikesAsync(db, Since + 1, threshold: 20, CancellationToken.None));
        Assert.Null(await AlertTimer.FirstEventIdSince(db, Now).FirstOrDefaultAsync());
        Assert.Empty(await AlertTimer.ErrorSpikesAsync(db, Now, threshold: 1, CancellationToken.None));
    }

    [Fact]
    public void FirstEventIdSince_OnAMigratedFile_OneSeekInTheReceivedTimeIndexNoScanNoSort()
    {
        WriteLog();
        var plan = SqliteFile.QueryPlan(DatabasePath, db => AlertTimer.FirstEventIdSince(db, Since).Take(1));

        Assert.Contains(plan, step => step.Contains("USING COVERING INDEX IX_Events_ReceivedAt (ReceivedAt>?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal) || step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
