using System.Diagnostics;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Events;

/// <summary>
/// SQLite: keeps the trigram index of payload text (<c>EventSearch</c>) up with the log, a second behind, in the
/// index's own file (<see cref="SearchIndexFile"/>), on a thread and connection of its own at a lower priority: it
/// reads the log and writes only the index's file, so it never holds the dashboard's writer. Indexing inside each
/// ingest transaction made every commit flush an index segment and cut ingest to a third; a second of lag costs
/// search nothing, because the query scans the few events not indexed yet (see <see cref="EventQueries"/>). It also
/// takes out of the index the events retention deleted (<c>EventSearchDeletions</c>).
/// </summary>
public sealed class EventSearchIndexer(DashboardWriter writer, DashboardDatabase database, ILogger<EventSearchIndexer> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Events per index transaction while the index keeps up with live ingest. Off the writer's lock its size costs
    /// ingest nothing in throughput, but not in the tail: with a second's events (about 4,500) in one transaction at 32
    /// connections, the ack p99 was 56–95 ms against 29–66 in six interleaved runs (BENCHMARKS.md, twenty-sixth look).
    /// </summary>
    public const int BatchSize = 1000;

    /// <summary>
    /// Events per index transaction while the index is this far or more behind the log (a new index file, an outage's
    /// redeliveries): each is one segment (<see cref="SearchIndexFile.PendingBytes"/>), so FTS5 merges fewer: a million
    /// events took 49.5 s of a core against 69.7 in transactions of <see cref="BatchSize"/> (BENCHMARKS.md,
    /// twenty-sixth look). A transaction takes about a second, so a catch-up still shows its progress to searches as
    /// it goes.
    /// </summary>
    public const int CatchUpBatchSize = 20_000;

    /// <summary>The size of the next index transaction when the log holds <paramref name="backlog"/> events past the index.</summary>
    public static int BatchFor(long backlog) => backlog >= CatchUpBatchSize ? CatchUpBatchSize : BatchSize;

    /// <summary>A catch-up this large is logged when it ends.</summary>
    public const int LargeCatchUp = 10_000;

    /// <summary>The indexer thread's nice value: below ingest's, which has the machine first.</summary>
    public const int Nice = 5;

    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private SearchIndexWriter? _index;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // PostgreSQL's trigram index is on the events themselves: nothing to catch up with.
        if (!SqlDialect.For(database.Provider).HasSearchTable) return Task.CompletedTask;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            ThreadNice.TrySetCurrent(Nice);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    CatchUp(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Nothing the index does may stop the dashboard: the next round tries again.
                    logger.LogWarning(ex, "Search indexing failed; retried in {Interval}", Interval);
                }
                catch (OperationCanceledException)
                {
                }
                stoppingToken.WaitHandle.WaitOne(Interval);
            }
            stopped.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "Search indexer",
        };
        thread.Start();
        return stopped.Task;
    }

    /// <summary>
    /// Indexes every event not indexed yet and takes out what retention deleted, now, on the calling thread (the
    /// indexer's own thread calls it every <see cref="Interval"/>). Answers how many events it indexed.
    /// </summary>
    public int CatchUp(CancellationToken cancellationToken = default)
    {
        _indexLock.Wait(cancellationToken);
        try
        {
            _index ??= SearchIndexWriter.Open(database.ConnectionString);
            // On this thread of its own, waiting for the writer is only this thread's wait.
            _index.TakeOutDeletedAsync(writer, cancellationToken).GetAwaiter().GetResult();
            var started = Stopwatch.GetTimestamp();
            var indexed = 0;
            int batch, last;
            do
            {
                batch = BatchFor(_index.Backlog());
                last = _index.IndexNewEvents(batch);
                indexed += last;
            }
            while (last == batch && !cancellationToken.IsCancellationRequested);
            // A backlog (a new index file, an outage's redeliveries): searches scanned its events until now.
            if (indexed >= LargeCatchUp)
                logger.LogInformation("The search index caught up with the log: {Count} events indexed in {Seconds:0.0} s",
                    indexed, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return indexed;
        }
        catch (DatabaseUnavailableException ex)
        {
            // A full disk or a locked file: the next round tries again, from where the index is.
            logger.LogDebug("Search indexing postponed: {Error}", ex.Message);
            _index?.Dispose();
            _index = null;
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            _indexLock.Release();
        }
    }

    public override void Dispose()
    {
        _index?.Dispose();
        _index = null;
        base.Dispose();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            _index?.Dispose();
            _index = null;
        }
        finally
        {
            _indexLock.Release();
        }
    }
}
