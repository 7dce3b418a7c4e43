using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Features.WeLinkApi;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Accounts;

public enum SessionCheckOutcome
{
    /// <summary><c>/me</c> answered with the profile.</summary>
    Active,
    /// <summary><c>/me</c> answered "Linked account not active".</summary>
    NotActive,
    /// <summary>Any other answer, or none: it says nothing about the session, so the state stays.</summary>
    Inconclusive,
    NotConfigured,
    UnknownAccount,
}

public sealed record SessionCheckResult(string AccountId, SessionCheckOutcome Outcome, string? Detail, AccountRow? Account);

/// <summary>A fleet check queued: how many accounts will be checked.</summary>
public sealed record FleetCheckResult(int Queued, string Message);

/// <summary>
/// The live-session heartbeat: <c>/me</c> for Connected accounts every <c>WeLink:HeartbeatInterval</c>
/// and for SessionExpired ones every four (We-Link restores sessions by itself), spread over the
/// interval and never faster than <see cref="MaxCallsPerSecond"/>; plus checks on demand.
/// </summary>
public sealed class SessionHeartbeat(
    IServiceScopeFactory scopes,
    DashboardWriter writer,
    JobLeases leases,
    AccountQueries accounts,
    IOptions<WeLinkOptions> options,
    TimeProvider time,
    ILogger<SessionHeartbeat> logger) : BackgroundService
{
    public const int MaxCallsPerSecond = 3;
    public const int ExpiredRateDivisor = 4;
    private static readonly TimeSpan MinGap = TimeSpan.FromSeconds(1.0 / MaxCallsPerSecond);

    // Every /me call goes through here, so heartbeat, fleet checks and single checks together stay under the limit.
    private readonly SemaphoreSlim _pace = new(1, 1);
    private long? _lastCallAt;
    private readonly Channel<string> _requested = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public bool IsConfigured => options.Value.HasApiCredentials;

    /// <summary>Checks one account now and applies the answer.</summary>
    public async Task<SessionCheckResult> CheckNowAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!IsConfigured) return new SessionCheckResult(accountId, SessionCheckOutcome.NotConfigured, "We-Link API credentials are not configured.", null);
        if (await accounts.GetRowAsync(accountId, cancellationToken) is null)
            return new SessionCheckResult(accountId, SessionCheckOutcome.UnknownAccount, null, null);

        var (outcome, detail) = await CallMeAsync(accountId, cancellationToken);
        await writer.ExecuteAsync(new RecordSessionCheck(accountId, outcome), cancellationToken);
        return new SessionCheckResult(accountId, outcome, detail, await accounts.GetRowAsync(accountId, cancellationToken));
    }

    /// <summary>Queues a check of every Connected and SessionExpired account, paced like the heartbeat.</summary>
    public async Task<FleetCheckResult> CheckFleetAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured) return new FleetCheckResult(0, "We-Link API credentials are not configured.");
        var rows = await accounts.ListAsync(null, null, cancellationToken);
        var queued = 0;
        foreach (var row in rows.Where(r => r.LoginState is LoginState.Connected or LoginState.SessionExpired))
        {
            _requested.Writer.TryWrite(row.AccountId);
            queued++;
        }
        return new FleetCheckResult(queued, $"{queued} account{(queued == 1 ? "" : "s")} queued for a session check.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsConfigured) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The heartbeat runs on one instance (its lease); checks asked for here still run here.
                var wait = await leases.TryHoldAsync(JobNames.SessionHeartbeat, stoppingToken)
                    ? await RunOnceAsync(stoppingToken)
                    : leases.RetryInterval;
                // A fleet check asked for in the meantime does not wait for the next heartbeat.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var requested = _requested.Reader.WaitToReadAsync(wake.Token).AsTask();
                var delay = Task.Delay(wait, time, wake.Token);
                await Task.WhenAny(requested, delay);
                await wake.CancelAsync();
                while (_requested.Reader.TryRead(out var accountId)) await CheckQuietlyAsync(accountId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checks the most overdue account if one is due; returns how long to wait before looking again.</summary>
    internal async Task<TimeSpan> RunOnceAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.HeartbeatInterval;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(string AccountId, long DueAt)> due;
        try
        {
            due = await DueAccountsAsync(interval, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Session heartbeat could not read the accounts: {Error}", ex.Message);
            return interval;
        }
        if (due.Count == 0) return interval;

        // Spread: with n accounts to watch, one check every interval / n (never faster than the limit).
        var gap = TimeSpan.FromTicks(Math.Max(MinGap.Ticks, interval.Ticks / due.Count));
        var next = due.MinBy(d => d.DueAt);
        if (next.DueAt > now) return TimeSpan.FromMilliseconds(Math.Clamp(next.DueAt - now, (long)MinGap.TotalMilliseconds, (long)interval.TotalMilliseconds));
        await CheckQuietlyAsync(next.AccountId, cancellationToken);
        return gap;
    }

    private async Task<List<(string AccountId, long DueAt)>> DueAccountsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var intervalMs = (long)interval.TotalMilliseconds;
        var rows = await accounts.ListAsync(null, null, cancellationToken);
        return rows
            .Where(r => r.LoginState is LoginState.Connected or LoginState.SessionExpired)
            .Select(r =>
            {
                var every = r.LoginState == LoginState.Connected ? intervalMs : intervalMs * ExpiredRateDivisor;
                var last = Math.Max(r.SessionCheckedAt?.ToUnixTimeMilliseconds() ?? 0, r.LoginStateSince?.ToUnixTimeMilliseconds() ?? 0);
                return (r.AccountId, last + every);
            })
            .ToList();
    }

    private async Task CheckQuietlyAsync(string accountId, CancellationToken cancellationToken)
    {
        try
        {
            var (outcome, _) = await CallMeAsync(accountId, cancellationToken);
            await writer.ExecuteAsync(new RecordSessionCheck(accountId, outcome), cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            logger.LogDebug("Session check not recorded: {Error}", ex.Message);
        }
    }

    private async Task<(SessionCheckOutcome, string?)> CallMeAsync(string accountId, CancellationToken cancellationToken)
    {
        await _pace.WaitAsync(cancellationToken);
        try
        {
            if (_lastCallAt is { } last && MinGap - time.GetElapsedTime(last) is { } wait && wait > TimeSpan.Zero)
                await Task.Delay(wait, time, cancellationToken);
            _lastCallAt = time.GetTimestamp();

            using var scope = scopes.CreateScope();
            var client = scope.ServiceProvider.GetRequiredService<WeLinkApiClient>();
            return await client.IsSessionActiveAsync(accountId, cancellationToken)
                ? (SessionCheckOutcome.Active, null)
                : (SessionCheckOutcome.NotActive, WeLinkApiClient.AccountNotActiveMessage);
        }
        catch (WeLinkApiException ex)
        {
            // A 5xx, 401, 429 or no answer says nothing about the session: the state stays.
            logger.LogInformation("Session check of {AccountId} inconclusive: {Error}", accountId, ex.Message);
            return (SessionCheckOutcome.Inconclusive, ex.Message);
        }
        finally
        {
            _pace.Release();
        }
    }

    /// <summary>Applies a <c>/me</c> answer to the account's login state and notes when it was checked.</summary>
    private sealed class RecordSessionCheck(string accountId, SessionCheckOutcome outcome) : WriteOperation<bool>
    {
        public override bool Apply(WriteSession session)
        {
            var now = session.NowMs;
            session.SetSessionCheckedAt(accountId, now);
            if (outcome is not (SessionCheckOutcome.Active or SessionCheckOutcome.NotActive)) return false;
            return AccountStateProjection.Apply(session, accountId, AccountFact.Session(now, outcome == SessionCheckOutcome.Active)) is not null;
        }
    }
}
