using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>
/// The account a <c>login_v2</c> is for, from its e-mail: known from We-Link's account list and
/// LOGIN_SUCCESS results. An unknown e-mail refreshes the list, at most once a minute (a fleet's
/// automation may log in many new accounts at once); after a refresh, logins whose e-mail stood in
/// for their account are given it.
/// </summary>
public sealed class LoginAccountResolver(
    IDbContextFactory<DashboardDbContext> contexts,
    AccountSync accountSync,
    DashboardWriter writer,
    IOptions<WeLinkOptions> weLink,
    IOptions<GatewayOptions> gateway,
    TimeProvider time)
{
    public TimeSpan RefreshInterval => gateway.Value.AccountListRefresh;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public async Task<string?> ResolveAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = Normalize(email);
        if (await FindAsync(normalized, cancellationToken) is { } known) return known;
        if (!await RefreshAsync(cancellationToken)) return null;
        return await FindAsync(normalized, cancellationToken);
    }

    /// <summary>Fetches We-Link's account list unless that was done within the last minute; true when it was fetched now.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!accountSync.IsConfigured) return false;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _lastRefresh < RefreshInterval) return false;
            _lastRefresh = time.GetUtcNow();
            var result = await accountSync.SyncNowAsync(cancellationToken);
            if (result.Succeeded) await writer.ExecuteAsync(new ResolvePendingEmails(weLink.Value.PinTimeout), cancellationToken);
            return result.Succeeded;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Whether a login's e-mail still stands in for its account.</summary>
    public async Task<bool> AnyPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.GatewayCalls.AsNoTracking().AnyAsync(c => c.PendingEmail != null, cancellationToken);
    }

    private async Task<string?> FindAsync(string email, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().Where(a => a.Email == email).Select(a => a.AccountId).FirstOrDefaultAsync(cancellationToken);
    }
}
