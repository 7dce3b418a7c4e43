using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Features.WeLinkApi;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// Brings We-Link's account list (<c>get_all_ln_accounts</c>) into the accounts projection, every
/// <c>WeLink:AccountSyncInterval</c> and on demand, when API credentials are configured.
/// </summary>
public sealed class AccountSync(
    IServiceScopeFactory scopes,
    DashboardWriter writer,
    JobLeases leases,
    IOptions<WeLinkOptions> options,
    TimeProvider time,
    ILogger<AccountSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public AccountSyncResult? LastResult { get; private set; }

    public bool IsConfigured => options.Value.HasApiCredentials;

    public async Task<AccountSyncResult> SyncNowAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
            return new AccountSyncResult(false, 0, "We-Link API credentials are not configured.", time.GetUtcNow());
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var scope = scopes.CreateScope();
            var client = scope.ServiceProvider.GetRequiredService<WeLinkApiClient>();
            var accounts = await client.GetAllAccountsAsync(cancellationToken);
            await writer.ExecuteAsync(new UpsertWeLinkAccounts(accounts), cancellationToken);
            LastResult = new AccountSyncResult(true, accounts.Count, $"{accounts.Count} accounts from We-Link.", time.GetUtcNow());
        }
        catch (Exception ex) when (ex is WeLinkApiException or DatabaseUnavailableException)
        {
            logger.LogWarning("Account sync failed: {Error}", ex.Message);
            LastResult = new AccountSyncResult(false, 0, ex.Message, time.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }
        return LastResult;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsConfigured) return;
        using var timer = new PeriodicTimer(options.Value.AccountSyncInterval, time);
        try
        {
            // The timed sync runs on one instance (its lease); a sync an operator asks for runs where asked.
            do
            {
                if (await leases.TryHoldAsync(JobNames.AccountSync, stoppingToken)) await SyncNowAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed class UpsertWeLinkAccounts(IReadOnlyList<WeLinkAccount> accounts) : WriteOperation<int>
    {
        public override int Apply(WriteSession session)
        {
            var now = session.NowMs;
            var count = 0;
            foreach (var account in accounts.Where(a => !string.IsNullOrWhiteSpace(a.AccountId)))
            {
                session.UpsertWeLinkAccount(account.AccountId.Trim(), account.Email?.Trim().ToLowerInvariant(), now);
                count++;
            }
            session.Publish(new LiveChange(LiveChangeKind.AccountsChanged));
            return count;
        }
    }
}
