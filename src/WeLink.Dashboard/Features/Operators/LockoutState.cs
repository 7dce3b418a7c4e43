namespace WeLink.Dashboard.Features.Operators;

/// <summary>An operator's failed-sign-in counter and lock, as stored (times in Unix milliseconds).</summary>
public readonly record struct LockoutState(int FailedSignIns, long? LockedUntil);
