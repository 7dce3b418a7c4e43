using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>
/// While a login's e-mail stands in for its account (We-Link's list did not have it yet), fetches the
/// list again every <c>Gateway:AccountListRefresh</c>: an account linked in We-Link's UI after the
/// login started shows up there, and its PIN request can then be answered (<c>login_code</c> needs the id).
/// </summary>
internal sealed class PendingLoginResolver(LoginAccountResolver logins, JobLeases leases, TimeProvider time, ILogger<PendingLoginResolver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(logins.RefreshInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // One instance refreshes (its lease): the list lands in the shared database, two would fetch it twice.
                    if (await leases.TryHoldAsync(JobNames.PendingLogins, stoppingToken) && await logins.AnyPendingAsync(stoppingToken))
                        await logins.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is DatabaseUnavailableException or HttpRequestException)
                {
                    // The next tick tries again; a login's e-mail keeps standing in meanwhile.
                    logger.LogWarning("Pending logins not resolved: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
