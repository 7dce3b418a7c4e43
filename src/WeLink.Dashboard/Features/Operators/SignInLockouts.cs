using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// Lock-outs kept per user name and client address: wrong passwords from one place lock that place
/// out for that name, so a stranger elsewhere cannot keep an operator (or the only admin) out. Names
/// that do not exist are counted the same way, so a lock-out says nothing about which names exist.
/// Kept in the database (<c>SignInLockouts</c>), so a lock-out reached on one instance holds on every
/// other; locks that ran out are cleaned up by <see cref="Limits.StoredLimitCleanup"/>.
/// </summary>
public sealed class SignInLockouts(
    IDbContextFactory<DashboardDbContext> contexts,
    DashboardWriter writer,
    Microsoft.Extensions.Options.IOptionsMonitor<Hosting.DashboardOptions> options,
    TimeProvider time)
{
    /// <summary>Stored length of a name or client address: longer ones (never valid names) are cut, so one row stays small.</summary>
    public const int MaxKeyLength = 64;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Name(string userName)
    {
        var name = userName.Trim().ToLowerInvariant();
        return name.Length > MaxKeyLength ? name[..MaxKeyLength] : name;
    }

    private static string Client(string client) => client.Length > MaxKeyLength ? client[..MaxKeyLength] : client;

    public async Task<bool> IsLockedAsync(string userName, string client, CancellationToken cancellationToken)
    {
        var (name, from, now) = (Name(userName), Client(client), Now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SignInLockouts.AsNoTracking().AnyAsync(l => l.UserName == name && l.Client == from && l.LockedUntil > now, cancellationToken);
    }

    /// <summary>Counts one wrong password (or unknown name) from <paramref name="client"/>.</summary>
    public Task RecordFailureAsync(string userName, string client, CancellationToken cancellationToken)
    {
        var lockout = new SignInLockout(options.CurrentValue.LockoutThreshold, options.CurrentValue.LockoutDuration);
        return writer.ExecuteAsync(new RecordFailure(Name(userName), Client(client), lockout), cancellationToken);
    }

    public Task RecordSuccessAsync(string userName, string client, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new ClearLockouts(Name(userName), Client(client)), cancellationToken);

    /// <summary>The latest lock on each user name (lower case) from any client, for the admin page.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> LockedUntilAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var locks = await db.SignInLockouts.AsNoTracking().Where(l => l.LockedUntil > now)
            .Select(l => new { l.UserName, l.LockedUntil }).ToListAsync(cancellationToken);
        return locks.GroupBy(l => l.UserName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => DateTimeOffset.FromUnixTimeMilliseconds(g.Max(l => l.LockedUntil!.Value)), StringComparer.Ordinal);
    }

    /// <summary>The lock on <paramref name="userName"/>, if any, from the map <see cref="LockedUntilAsync"/> read.</summary>
    public static DateTimeOffset? LockedUntil(IReadOnlyDictionary<string, DateTimeOffset> locks, string userName) =>
        locks.TryGetValue(Name(userName), out var until) ? until : null;

    /// <summary>Lifts every lock on <paramref name="userName"/> (admin unlock, new password).</summary>
    public Task UnlockAsync(string userName, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new ClearLockouts(Name(userName), null), cancellationToken);

    private sealed class RecordFailure(string userName, string client, SignInLockout lockout) : WriteOperation<bool>
    {
        public override bool Apply(WriteSession session)
        {
            var now = session.NowMs;
            var stored = session.ReadLockout(userName, client);
            var state = stored is { } s ? new LockoutState(s.FailedSignIns, s.LockedUntil) : default;
            var after = lockout.AfterFailure(state, now);
            if (after == state && stored is not null) return SignInLockout.IsLocked(after, now);
            session.WriteLockout(userName, client, after.FailedSignIns, after.LockedUntil, now);
            return SignInLockout.IsLocked(after, now);
        }
    }

    /// <summary>One client's count for the name, or with no client every client's.</summary>
    private sealed class ClearLockouts(string userName, string? client) : WriteOperation<int>
    {
        public override int Apply(WriteSession session) =>
            client is null ? session.DeleteLockouts(userName) : session.DeleteLockout(userName, client);
    }
}
