using System.Collections.Concurrent;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Alerts;
using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// Counts deliveries the endpoint refused, by reason. Counted in memory on the request path and
/// flushed to <c>RejectedDeliveryCounts</c> every few seconds, so a flood of bad requests costs
/// no write per request. The log gets one summary line a minute (<see cref="RejectionLogSummary"/>),
/// never a line per refusal.
/// </summary>
public sealed class RejectedDeliveries(
    DashboardWriter writer,
    TimeProvider time,
    ILogger<RejectedDeliveries> logger,
    IOptions<AlertOptions>? alertOptions = null,
    AlertSignal? alertSignal = null) : BackgroundService
{
    /// <summary>The reason a wrong or missing signature is counted under: what the RejectedDeliveries alert watches.</summary>
    public const string BadSignature = "bad-signature";

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);
    private readonly RejectionLogSummary _summary = new(time);

    public void Count(string reason)
    {
        _pending.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _totals.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _summary.Count(reason);
    }

    /// <summary>Rejections since the process started, by reason.</summary>
    public IReadOnlyDictionary<string, long> Totals => _totals.ToDictionary();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
                LogSummaryIfDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the minute's summary line, if a minute has passed and anything was refused.</summary>
    public void LogSummaryIfDue()
    {
        if (_summary.TakeIfDue() is { } due)
        {
            logger.LogWarning("Refused {Count} webhook deliveries in the last {Seconds:0} s: {Reasons}",
                due.Total, due.Window.TotalSeconds, due.Reasons);
        }
    }

    /// <summary>
    /// Writes the pending counts. Flushes run one at a time, so a caller that flushes while the timer's
    /// flush is under way returns only after that one has committed the counts it took.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushPendingAsync(cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        foreach (var reason in _pending.Keys)
        {
            if (_pending.TryRemove(reason, out var n)) counts[reason] = n;
        }
        if (counts.Count == 0) return;
        try
        {
            var rule = alertOptions?.Value is { Rules.RejectedDeliveries.Enabled: true } alerts
                ? (alerts.Rules.RejectedDeliveries, alerts.Rules.RejectedDeliveries.Cooldown ?? alerts.Cooldown)
                : ((RejectedDeliveriesRule, TimeSpan)?)null;
            if (await writer.ExecuteAsync(new AddRejections(counts, rule), cancellationToken)) alertSignal?.Wake();
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or OperationCanceledException)
        {
            foreach (var (reason, n) in counts) _pending.AddOrUpdate(reason, n, (_, m) => m + n);
            logger.LogDebug("Rejected-delivery counts kept for the next flush: {Error}", ex.Message);
        }
    }

    /// <summary>Adds the counts; with the alert rule on, counts signature failures per minute and raises the alert. Returns whether it did.</summary>
    private sealed class AddRejections(Dictionary<string, long> counts, (RejectedDeliveriesRule Rule, TimeSpan Cooldown)? alert) : WriteOperation<bool>
    {
        public override bool Apply(WriteSession session)
        {
            var now = session.NowMs;
            foreach (var (reason, n) in counts) session.AddRejections(now, reason, n);
            if (alert is not { } a || !counts.TryGetValue(BadSignature, out var bad)) return false;
            const long minuteMs = 60_000;
            var minute = now - now % minuteMs;
            var since = minute - (long)a.Rule.Window.TotalMilliseconds + minuteMs;
            var total = session.AddAlertRejections(minute, bad, since);
            return total >= a.Rule.Threshold
                && AlertRaiser.RaiseWithCooldown(session, AlertRules.RejectedDeliveries, BadSignature, total, now, a.Cooldown);
        }

        // Every instance flushes its own counts (no lease: each counts what it refused), so two may raise at
        // once: the lock makes the second see the first's alert and its cooldown.
        internal override void CollectLockKeys(List<long> keys)
        {
            if (alert is not null) keys.Add(WriteLocks.AlertRule(AlertRules.RejectedDeliveries));
        }
    }
}
