using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// The time-driven rules: PIN reminders and last alerts over the open alerts, ErrorSpike over the
/// error-code index. Never scans the event log: open alerts are a handful of rows, and a spike is
/// counted per code over the <c>(ErrorCode, Id)</c> index from the first event of the window.
/// New time-driven rules (WebhookSilence, RequestLost) add a check here over their own projection.
/// </summary>
public sealed class AlertTimer(
    DashboardWriter writer,
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
                    var changed = 0;
                    // A read first: with no PIN alert open the writer is not disturbed.
                    if (await HasOpenPinAlertsAsync(stoppingToken))
                        changed += await writer.ExecuteAsync(new CheckOpenPinAlerts(settings.Rules.PinWaiting.RemindAfter), stoppingToken);
                    if (settings.Rules.ErrorSpike.Enabled)
                    {
                        var spikes = await ErrorSpikesAsync(settings.Rules.ErrorSpike, stoppingToken);
                        if (spikes.Count > 0)
                            changed += await writer.ExecuteAsync(new RaiseErrorSpikes(spikes, settings.Rules.ErrorSpike.Cooldown ?? settings.Cooldown), stoppingToken);
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

    private async Task<bool> HasOpenPinAlertsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.AnyAsync(a => a.ResolvedAt == null && a.Rule == AlertRules.PinWaiting, cancellationToken);
    }

    /// <summary>Error codes seen fleet-wide at least <c>Threshold</c> times in the window.</summary>
    public async Task<List<(string Code, long Count)>> ErrorSpikesAsync(ErrorSpikeRule rule, CancellationToken cancellationToken)
    {
        var since = (time.GetUtcNow() - rule.Window).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var firstId = await db.Events.Where(e => e.ReceivedAt >= since).MinAsync(e => (long?)e.Id, cancellationToken);
        if (firstId is not { } from) return [];
        var sinceDay = since - since % EventCounters.DayMs;
        var codes = await db.DailyErrorCounts.Where(c => c.Day >= sinceDay).Select(c => c.ErrorCode).Distinct().ToListAsync(cancellationToken);
        var spikes = new List<(string, long)>();
        foreach (var code in codes)
        {
            var count = await db.Events.LongCountAsync(e => e.ErrorCode == code && e.Id >= from, cancellationToken);
            if (count >= rule.Threshold) spikes.Add((code, count));
        }
        return spikes;
    }
}
