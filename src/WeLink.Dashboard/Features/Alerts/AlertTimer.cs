using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// The time-driven rules: PIN reminders and last alerts over the open alerts, ErrorSpike over the
/// error-code index. Never scans the event log: open alerts are read a pass at a time by key, and a spike is
/// counted per code over the <c>(ErrorCode, Id)</c> index from the first event of the window.
/// WebhookSilence reads the tracked requests' <c>(State, NextPollAt)</c> index and the newest event by
/// key; RequestLost is raised by the request tracker when it gives a request up.
/// </summary>
public sealed class AlertTimer(
    DashboardWriter writer,
    JobLeases leases,
    IDbContextFactory<DashboardDbContext> contexts,
    IOptions<AlertOptions> options,
    AlertSignal signal,
    TimeProvider time,
    ILogger<AlertTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.TimerInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await leases.TryHoldAsync(JobNames.AlertTimers, stoppingToken)) continue;
                    var changed = 0;
                    // A read first: with no PIN alert open the writer is not disturbed.
                    if (await HasOpenPinAlertsAsync(stoppingToken))
                        changed += await CheckOpenPinAlertsAsync(settings.Rules.PinWaiting.RemindAfter, stoppingToken);
                    if (settings.Rules.ErrorSpike.Enabled)
                    {
                        var spikes = await ErrorSpikesAsync(settings.Rules.ErrorSpike, stoppingToken);
                        if (spikes.Count > 0)
                            changed += await writer.ExecuteAsync(new RaiseErrorSpikes(spikes, settings.Rules.ErrorSpike.Cooldown ?? settings.Cooldown), stoppingToken);
                    }
                    if (settings.Rules.WebhookSilence.Enabled)
                    {
                        var (silent, lastWebhookAt, open) = await WebhookSilenceAsync(settings.Rules.WebhookSilence.SilenceAfter, stoppingToken);
                        // Only a change to make goes to the writer: silence raised once, resolved once.
                        if ((silent && !open) || (open && lastWebhookAt is not null))
                            changed += await writer.ExecuteAsync(new CheckWebhookSilence(silent, lastWebhookAt), stoppingToken);
                    }
                    if (changed > 0) signal.Wake();
                }
                catch (DatabaseUnavailableException ex)
                {
                    logger.LogDebug("Alert timers skipped a tick: {Error}", ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Alert timers failed a tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Every open PIN alert, a pass of <see cref="CheckOpenPinAlerts.PassSize"/> at a time, each pass its own write.</summary>
    private async Task<int> CheckOpenPinAlertsAsync(TimeSpan remindAfter, CancellationToken cancellationToken)
    {
        var changed = 0;
        PinAlertCheck pass;
        var after = 0L;
        do
        {
            pass = await writer.ExecuteAsync(new CheckOpenPinAlerts(remindAfter, after), cancellationToken);
            changed += pass.Changed;
            after = pass.LastId;
        }
        while (pass.Seen == CheckOpenPinAlerts.PassSize);
        return changed;
    }

    private async Task<bool> HasOpenPinAlertsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.AnyAsync(a => a.ResolvedAt == null && a.Rule == AlertRules.PinWaiting, cancellationToken);
    }

    /// <summary>
    /// Whether requests have waited <paramref name="silenceAfter"/> with no webhook stored in that time,
    /// when the last webhook (not a result fetched with get_response) came, and whether the alert is open.
    /// </summary>
    public async Task<(bool Silent, long? LastWebhookAt, bool Open)> WebhookSilenceAsync(TimeSpan silenceAfter, CancellationToken cancellationToken)
    {
        var cut = (time.GetUtcNow() - silenceAfter).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Alerts.Where(a => a.ResolvedAt == null && a.Rule == AlertRules.WebhookSilence).Select(a => (long?)a.OpenedAt)
            .FirstOrDefaultAsync(cancellationToken);
        // Newest first by key: only fetched copies at the tail are stepped over.
        var lastWebhookAt = await db.Events.Where(e => e.Signature != WeLink.Webhooks.SignatureOutcome.Fetched).OrderByDescending(e => e.Id)
            .Select(e => (long?)e.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        var waiting = await db.Requests.AnyAsync(r => (r.State == RequestState.Waiting || r.State == RequestState.Overdue || r.State == RequestState.Missing)
            && r.RequestedAt <= cut, cancellationToken);
        var silent = waiting && (lastWebhookAt is null || lastWebhookAt < cut);
        return (silent, open is { } opened && lastWebhookAt > opened ? lastWebhookAt : null, open is not null);
    }

    /// <summary>Error codes seen fleet-wide at least <c>Threshold</c> times in the window.</summary>
    public async Task<List<(string Code, long Count)>> ErrorSpikesAsync(ErrorSpikeRule rule, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ErrorSpikesAsync(db, (time.GetUtcNow() - rule.Window).ToUnixTimeMilliseconds(), rule.Threshold, cancellationToken);
    }

    /// <summary>Error codes of the events received since <paramref name="since"/> (Unix ms), each counted at least <paramref name="threshold"/> times.</summary>
    internal static async Task<List<(string Code, long Count)>> ErrorSpikesAsync(DashboardDbContext db, long since, int threshold, CancellationToken cancellationToken)
    {
        var firstId = await FirstEventIdSince(db, since).FirstOrDefaultAsync(cancellationToken);
        if (firstId is not { } from) return [];
        var sinceDay = since - since % EventCounters.DayMs;
        var codes = await db.DailyErrorCounts.Where(c => c.Day >= sinceDay).Select(c => c.ErrorCode).Distinct().ToListAsync(cancellationToken);
        var spikes = new List<(string, long)>();
        foreach (var code in codes)
        {
            var count = await db.Events.LongCountAsync(e => e.ErrorCode == code && e.Id >= from, cancellationToken);
            if (count >= threshold) spikes.Add((code, count));
        }
        return spikes;
    }

    /// <summary>
    /// The id of the first event received at or after <paramref name="since"/>: one seek in the <c>(ReceivedAt, Id)</c> order
    /// of the received-time index. The writer stamps each event with its clock as it stores it, so ids and received times
    /// rise together and this is the window's smallest id (with two instances, up to the difference of their clocks).
    /// <c>MIN(Id) WHERE ReceivedAt &gt;= since</c> was answered by walking the log by id from its oldest event to the
    /// window: every tick read the whole retained log (0.3 s of a core every 5 s at 1,000,000 events, idle or not;
    /// BENCHMARKS.md, twenty-eighth look).
    /// </summary>
    internal static IQueryable<long?> FirstEventIdSince(DashboardDbContext db, long since) =>
        db.Events.Where(e => e.ReceivedAt >= since).OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).Select(e => (long?)e.Id);
}
