namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// Lock-outs kept per user name and client address: wrong passwords from one place lock that place
/// out for that name, so a stranger elsewhere cannot keep an operator (or the only admin) out. Names
/// that do not exist are counted the same way, so a lock-out says nothing about which names exist.
/// Held in memory: a restart forgets them, which only an admin can cause.
/// </summary>
public sealed class SignInLockouts(Microsoft.Extensions.Options.IOptionsMonitor<Hosting.DashboardOptions> options, TimeProvider time)
{
    /// <summary>Beyond this many tracked pairs, ones that are not locked are dropped (the sign-in rate limit bounds growth per client).</summary>
    private const int MaxTracked = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string User, string Client), LockoutState> _states = new();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static (string, string) Key(string userName, string client) => (userName.Trim().ToLowerInvariant(), client);

    public bool IsLocked(string userName, string client) =>
        _states.TryGetValue(Key(userName, client), out var state) && SignInLockout.IsLocked(state, Now);

    /// <summary>Counts one wrong password (or unknown name) from <paramref name="client"/>.</summary>
    public void RecordFailure(string userName, string client)
    {
        var lockout = new SignInLockout(options.CurrentValue.LockoutThreshold, options.CurrentValue.LockoutDuration);
        var now = Now;
        _states.AddOrUpdate(Key(userName, client), _ => lockout.AfterFailure(default, now), (_, state) => lockout.AfterFailure(state, now));
        if (_states.Count > MaxTracked)
            foreach (var (key, state) in _states)
                if (!SignInLockout.IsLocked(state, now)) _states.TryRemove(key, out _);
    }

    public void RecordSuccess(string userName, string client) => _states.TryRemove(Key(userName, client), out _);

    /// <summary>The latest lock on <paramref name="userName"/> from any client, for the admin page.</summary>
    public DateTimeOffset? LockedUntil(string userName)
    {
        var name = userName.Trim().ToLowerInvariant();
        var now = Now;
        long? latest = null;
        foreach (var ((user, _), state) in _states)
            if (user == name && SignInLockout.IsLocked(state, now) && state.LockedUntil > (latest ?? 0)) latest = state.LockedUntil;
        return latest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Lifts every lock on <paramref name="userName"/> (admin unlock, new password).</summary>
    public void Unlock(string userName)
    {
        var name = userName.Trim().ToLowerInvariant();
        foreach (var key in _states.Keys)
            if (key.User == name) _states.TryRemove(key, out _);
    }
}
