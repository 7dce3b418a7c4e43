using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Alerts;

namespace WeLink.Dashboard.IntegrationTests.Alerts;

/// <summary>
/// The timer's PIN pass on a real file: a dashboard started on a backlog may hold thousands of open PIN alerts, and the
/// timer takes them <see cref="CheckOpenPinAlerts.PassSize"/> at a time, each pass its own write, oldest first, every
/// alert once.
/// </summary>
// SQLite only: it writes through a session on the file with no dashboard running.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class PinAlertPassTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => Path.Combine(_dir.Path, "dashboard.db");

    [Fact]
    public void CheckOpenPinAlerts_MoreOpenThanAPass_EachPassTakesTheNextOldestAndEveryAlertIsHandledOnce()
    {
        DashboardApp.Start(_dir.Path).Dispose();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var opened = now - 60 * 60_000;
        // 450 open alerts with no account, an hour old: the odd ones' PIN requests still wait, the even ones' were answered.
        TestStore.Rows(DatabasePath, $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450)
            INSERT INTO Alerts (Rule, AccountId, Subject, OpenedAt, LastRaisedAt) SELECT 'PinWaiting', NULL, 'anon-' || i, {opened}, {opened} FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 2 FROM n WHERE i < 449)
            INSERT INTO PinRequests (RequestId, AccountId, EventId, RequestedAt, ExpiresAt, Status)
            SELECT 'anon-' || i, NULL, 0, {opened}, {now + 60_000}, 'Pending' FROM n;
            """);
        var ids = TestStore.Rows(DatabasePath, "SELECT Id FROM Alerts ORDER BY Id").Select(r => (long)r[0]!).ToList();

        var passes = new List<PinAlertCheck>();
        using (var session = WriteSession.Open($"Data Source={DatabasePath};Pooling=False", TimeProvider.System))
        {
            var after = 0L;
            do
            {
                session.Begin();
                passes.Add(new CheckOpenPinAlerts(TimeSpan.FromMinutes(3), after).Apply(session));
                session.Commit();
                after = passes[^1].LastId;
            }
            while (passes[^1].Seen == CheckOpenPinAlerts.PassSize && passes.Count < 10);
        }

        Assert.Equal([200, 200, 50], passes.Select(p => p.Seen));
        Assert.Equal([ids[199], ids[399], ids[449]], passes.Select(p => p.LastId));
        Assert.All(passes, p => Assert.Equal(p.Seen, p.Changed));
        // Each alert once: the answered ones resolved, the waiting ones reminded and still open.
        Assert.Equal(225, SqliteFile.Scalar<long>(DatabasePath, "SELECT COUNT(*) FROM AlertMessages WHERE Kind = 'Resolved'"));
        Assert.Equal(225, SqliteFile.Scalar<long>(DatabasePath, "SELECT COUNT(*) FROM AlertMessages WHERE Kind = 'Reminder'"));
        Assert.Equal(450, SqliteFile.Scalar<long>(DatabasePath, "SELECT COUNT(DISTINCT AlertId) FROM AlertMessages"));
        Assert.Equal(225, SqliteFile.Scalar<long>(DatabasePath, "SELECT COUNT(*) FROM Alerts WHERE ResolvedAt IS NULL AND RemindedAt IS NOT NULL"));
    }
}
