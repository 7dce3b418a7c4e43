using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// The state an operator sees: the stored base state, with the time-bound ones derived at read
/// time (rate limited within the last hour, PIN request past its expiry).
/// </summary>
public static class AccountStates
{
    public static readonly TimeSpan RateLimitWindow = TimeSpan.FromHours(1);

    public static LoginState Effective(LoginState stored, long? rateLimitedAt, long? pinExpiresAt, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        // Most severe or most urgent first: a restriction, then a login waiting on the operator, then a rate limit.
        if (stored == LoginState.Restricted) return LoginState.Restricted;
        if (stored is LoginState.PinRequired or LoginState.PinSubmitted)
            return pinExpiresAt is { } expires && expires <= nowMs ? LoginState.PinExpired : stored;
        if (stored == LoginState.PinExpired) return stored;
        if (rateLimitedAt is { } limited && nowMs - limited < (long)RateLimitWindow.TotalMilliseconds) return LoginState.RateLimited;
        return stored;
    }

    public static LoginState Effective(Account account, DateTimeOffset now) =>
        Effective(account.LoginState, account.RateLimitedAt, account.PinExpiresAt, now);

    /// <summary>A short label and a severity colour name for a state, shared by pages.</summary>
    public static (string Label, string Tone) Describe(LoginState state) => state switch
    {
        LoginState.Connected => ("Connected", "success"),
        LoginState.PinRequired => ("PIN required", "warning"),
        LoginState.PinSubmitted => ("PIN submitted", "info"),
        LoginState.LoginFailed => ("Login failed", "error"),
        LoginState.Restricted => ("Restricted", "error"),
        LoginState.RateLimited => ("Rate limited", "warning"),
        LoginState.PinExpired => ("PIN expired", "error"),
        _ => ("Unknown", "default"),
    };

    public static IReadOnlyList<LoginState> All { get; } = Enum.GetValues<LoginState>();
}
