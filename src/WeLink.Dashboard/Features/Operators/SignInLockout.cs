namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// Locks an operator out for <see cref="Duration"/> after <see cref="Threshold"/> consecutive wrong
/// passwords. While locked every attempt is refused, even with the right password, and does not
/// extend the lock; a success or the end of the lock starts the count again.
/// </summary>
public sealed record SignInLockout(int Threshold, TimeSpan Duration)
{
    public static bool IsLocked(LockoutState state, long nowMs) => state.LockedUntil is { } until && until > nowMs;

    /// <summary>The state after one more wrong password at <paramref name="nowMs"/>.</summary>
    public LockoutState AfterFailure(LockoutState state, long nowMs)
    {
        if (IsLocked(state, nowMs)) return state;
        // A lock that has run out is forgotten: the operator gets a full set of attempts again.
        var failed = (state.LockedUntil is null ? state.FailedSignIns : 0) + 1;
        return failed >= Threshold
            ? new LockoutState(0, nowMs + (long)Duration.TotalMilliseconds)
            : new LockoutState(failed, null);
    }

    public static LockoutState AfterSuccess => new(0, null);
}
