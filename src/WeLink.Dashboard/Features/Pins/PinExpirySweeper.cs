using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>Expires PIN requests that reached <c>WeLink:PinTimeout</c> with no outcome (on one instance at a time: its lease).</summary>
public sealed class PinExpirySweeper(DashboardWriter writer, JobLeases leases, TimeProvider time, ILogger<PinExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await leases.TryHoldAsync(JobNames.PinExpiry, stoppingToken)) continue;
                    await writer.ExecuteAsync<int>(new ExpirePinRequests(), stoppingToken);
                }
                catch (DatabaseUnavailableException ex)
                {
                    logger.LogDebug("PIN expiry skipped: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
