using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Limits;

/// <summary>Every minute, on one instance (its lease), drops rate-limit windows that ended and sign-in lock-outs that ran out.</summary>
public sealed class StoredLimitCleanup(DashboardWriter writer, JobLeases leases, IOptionsMonitor<DashboardOptions> options, TimeProvider time,
    ILogger<StoredLimitCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The longest window a stored limit uses (sign-in attempts and PIN submissions are per minute).</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromMinutes(1);

    /// <summary>Failed sign-ins that did not lock are forgotten after this long without another.</summary>
    public static readonly TimeSpan FailuresForgottenAfter = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await leases.TryHoldAsync(JobNames.LimitCleanup, stoppingToken))
                        await writer.ExecuteAsync(new DeleteExpiredLimits(TimeSpan.FromTicks(Math.Max(FailuresForgottenAfter.Ticks, options.CurrentValue.LockoutDuration.Ticks))), stoppingToken);
                }
                catch (DatabaseUnavailableException ex)
                {
                    logger.LogDebug("Limit clean-up skipped: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed class DeleteExpiredLimits(TimeSpan forgetFailuresAfter) : WriteOperation<int>
    {
        public override int Apply(WriteSession session)
        {
            var now = session.NowMs;
            return session.DeleteExpiredLimits(now, now - (long)LongestWindow.TotalMilliseconds, now - (long)forgetFailuresAfter.TotalMilliseconds);
        }
    }
}
