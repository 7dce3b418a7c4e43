using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Events;

/// <summary>
/// SQLite: keeps the trigram index of payload text (<c>EventSearch</c>) up with the log, a second behind,
/// in large batches. Indexing inside each ingest transaction made every commit flush an index
/// segment and cut ingest to a third; a second of lag costs search nothing, because the query
/// scans the few events not indexed yet (see <see cref="EventQueries"/>).
/// </summary>
public sealed class EventSearchIndexer(DashboardWriter writer, DashboardDatabase database, TimeProvider time, ILogger<EventSearchIndexer> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Events per write: small enough that ingest batches queued behind it barely wait. The index's segment is
    /// written and merged at commit: 250 events held the writer 20–25 ms, four times a second at 1,000 events/s,
    /// the largest pauses in the ack latency's tail; 50 hold it about 4 ms, at a third more work per event.
    /// </summary>
    public const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // PostgreSQL's trigram index is on the events themselves: nothing to catch up with.
        if (!SqlDialect.For(database.Provider).HasSearchTable) return;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    while (await writer.ExecuteAsync<int>(new IndexNewEvents(BatchSize), stoppingToken) == BatchSize)
                    {
                    }
                }
                catch (DatabaseUnavailableException ex)
                {
                    logger.LogDebug("Search indexing postponed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Indexes up to <c>batch</c> events past the last indexed one; answers how many.</summary>
public sealed class IndexNewEvents(int batch) : WriteOperation<int>
{
    /// <summary>No webhook waits on the index: the events queued with this write are answered before it.</summary>
    public override bool CommitsAfterOthers => true;

    public override int Apply(WriteSession session) => session.IndexNewEvents(batch);
}
