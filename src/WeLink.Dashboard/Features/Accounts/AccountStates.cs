using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// What an operator sees of an account's stored state: the login state with a PIN request past its
/// expiry shown as expired before the sweeper gets to it, and the health flags raised at read time.
/// </summary>
public static class AccountStates
{
    public static LoginState EffectiveLogin(LoginState stored, long? pinExpiresAt, DateTimeOffset now) =>
        stored is LoginState.PinRequired or LoginState.PinSubmitted && pinExpiresAt is { } expires && expires <= now.ToUnixTimeMilliseconds()
            ? LoginState.PinExpired
            : stored;

    public static LoginState EffectiveLogin(Account account, DateTimeOffset now) => EffectiveLogin(account.LoginState, account.PinExpiresAt, now);

    /// <summary>The flags the account's own events raise now, in <see cref="HealthFlag"/> order.</summary>
    public static List<AccountHealthFlag> Health(Account account, DateTimeOffset now)
    {
        var flags = new List<AccountHealthFlag>();
        if (account.RateLimitedAt is { } last)
        {
            var until = FromMs(last) + AccountStateMachine.RateLimitWindow;
            if (until > now) flags.Add(new AccountHealthFlag(HealthFlag.RateLimited, FromMs(account.RateLimitedSince ?? last), until));
        }
        if (account.RestrictedSince is { } restricted) flags.Add(new AccountHealthFlag(HealthFlag.Restricted, FromMs(restricted), null));
        if (account.ProxyTroubleSince is { } proxy) flags.Add(new AccountHealthFlag(HealthFlag.ProxyTrouble, FromMs(proxy), null));
        return flags;
    }

    /// <summary>
    /// Lists sort by what needs a person first: a PIN waiting, then a login that failed (or lapsed)
    /// or a restriction, then other flags, then healthy accounts.
    /// </summary>
    public static int UrgencyRank(LoginState login, IReadOnlyCollection<AccountHealthFlag> health) =>
        login is LoginState.PinRequired or LoginState.PinSubmitted ? 0
        : login is LoginState.LoginFailed or LoginState.PinExpired or LoginState.SessionExpired || health.Any(f => f.Flag == HealthFlag.Restricted) ? 1
        : health.Count > 0 ? 2
        : 3;

    /// <summary>A short label and a severity colour name for a login state, shared by pages.</summary>
    public static (string Label, string Tone) Describe(LoginState state) => state switch
    {
        LoginState.Connected => ("Connected", "success"),
        LoginState.PinRequired => ("PIN required", "warning"),
        LoginState.PinSubmitted => ("PIN submitted", "info"),
        LoginState.LoginFailed => ("Login failed", "error"),
        LoginState.PinExpired => ("PIN expired", "error"),
        LoginState.SessionExpired => ("Session expired", "error"),
        _ => ("Unknown", "default"),
    };

    public static (string Label, string Tone) Describe(HealthFlag flag) => flag switch
    {
        HealthFlag.RateLimited => ("Rate limited", "warning"),
        HealthFlag.Restricted => ("Restricted", "error"),
        HealthFlag.ProxyTrouble => ("Proxy trouble", "warning"),
        HealthFlag.BudgetSpent => ("Budget spent", "warning"),
        _ => (flag.ToString(), "default"),
    };

    public static IReadOnlyList<LoginState> All { get; } = Enum.GetValues<LoginState>();

    public static IReadOnlyList<HealthFlag> AllFlags { get; } = Enum.GetValues<HealthFlag>();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
