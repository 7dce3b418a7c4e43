using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.Features.Retention;

/// <summary>
/// Deletes what is older than <c>Ingest:RetentionDays</c>, in small batches through the single
/// writer so ingest keeps flowing between them, then gives the freed pages back to the file
/// system (the file runs with <c>auto_vacuum=INCREMENTAL</c>, see <see cref="DatabaseSetup"/>).
/// </summary>
/// <remarks>
/// What stays correct: the cut-off is rounded down to a whole hour, so an hourly counter is
/// deleted exactly when every event it counted is; the log and the counters therefore always
/// agree. <c>Accounts.EventCount</c> goes down by the deleted events, so it stays "events of
/// this account in the log". An account's last-event fields, login state and e-mail/profile
/// stay as they are (they describe the account, not the log); state-change history, PIN
/// requests (except one an account still points at), PIN submissions, correlated requests, gateway
/// calls and rejected-delivery counters older than the cut-off go with the events.
/// </remarks>
public sealed class EventRetention(
    DashboardWriter writer,
    DashboardDatabase database,
    JobLeases leases,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<EventRetention> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    /// <summary>Rows per write operation: small enough that an ingest batch sharing its transaction barely notices.</summary>
    public const int BatchSize = 500;
    /// <summary>Pages handed back per write operation (4 MiB at the default page size).</summary>
    public const int VacuumPages = 1024;

    /// <summary>The newest time that is deleted, exclusive: retention days back from now, rounded down to the hour.</summary>
    public static long CutoffFor(DateTimeOffset now, int retentionDays)
    {
        var cutoff = now.ToUnixTimeMilliseconds() - (long)TimeSpan.FromDays(retentionDays).TotalMilliseconds;
        return cutoff - cutoff % EventCounters.HourMs;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunDelay, time, stoppingToken);
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    // One instance deletes; the others would only wait on the same rows.
                    if (await leases.TryHoldAsync(JobNames.Retention, stoppingToken)) await RunOnceAsync(stoppingToken);
                }
                catch (DatabaseUnavailableException ex)
                {
                    // The next pass picks up where this one stopped.
                    logger.LogWarning("Retention pass stopped: {Error}", ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One full pass: every expired row, then the freed pages.</summary>
    public async Task<RetentionReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = CutoffFor(time.GetUtcNow(), options.Value.RetentionDays);
        var events = await DrainAsync(new DeleteExpiredEvents(cutoff, BatchSize), cancellationToken);
        long other = 0;
        foreach (var table in ExpiredRows.Tables)
            other += await DrainAsync(new DeleteExpiredRows(table, cutoff, BatchSize), cancellationToken);

        if (events > 0 && SqlDialect.For(database.Provider).HasSearchTable)
        {
            // The search index's own file: its deleted events out now (the indexer would, within a second), so that
            // the list of them is emptied before the pages go back.
            try
            {
                using var index = SearchIndexWriter.Open(database.ConnectionString);
                await index.TakeOutDeletedAsync(writer, cancellationToken);
            }
            catch (DatabaseUnavailableException ex)
            {
                // The indexer takes them out at its next round; their list's pages go back at the next pass.
                logger.LogWarning("Retention could not take its deleted events out of the search index now: {Error}", ex.Message);
            }
        }

        long pages = 0;
        if (events + other > 0)
        {
            while (true)
            {
                var (freed, left) = await writer.ExecuteAsync<(long, long)>(new ReclaimFreePages(VacuumPages), cancellationToken);
                pages += freed;
                if (left == 0 || freed == 0) break;
            }
            logger.LogInformation(
                "Retention ({Days} days): deleted {Events} events and {Other} older rows, returned {Pages} pages to the file system",
                options.Value.RetentionDays, events, other, pages);
        }
        return new RetentionReport(cutoff, events, other, pages);
    }

    private async Task<long> DrainAsync(BatchedDelete operation, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            // A fresh operation per batch: each one completes once.
            var deleted = await writer.ExecuteAsync<int>(operation.Next(), cancellationToken);
            total += deleted;
            if (deleted < BatchSize) return total;
        }
    }
}
