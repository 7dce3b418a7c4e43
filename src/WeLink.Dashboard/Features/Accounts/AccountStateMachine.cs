using WeLink.Dashboard.Data;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>What an account's stored state is made of (the projection's columns), in Unix milliseconds.</summary>
public sealed record AccountStateRecord(
    LoginState Login = LoginState.Unknown,
    string? LoginErrorCode = null,
    long? LoginSince = null,
    long LoginRequestStartedAt = 0,
    long LoginUpdatedAt = 0,
    string? PendingPinRequestId = null,
    long? PinExpiresAt = null,
    long? RateLimitedSince = null,
    long? RateLimitedAt = null,
    long? RestrictedSince = null,
    long? ProxyTroubleSince = null,
    long? LastActionAt = null);

public enum AccountFactKind
{
    /// <summary>A stored webhook event of the account.</summary>
    Event,
    PinSubmitted,
    PinExpired,
    /// <summary><c>/me</c> answered with the profile.</summary>
    SessionActive,
    /// <summary><c>/me</c> answered "Linked account not active".</summary>
    SessionNotActive,
}

/// <summary>
/// One thing that happened to an account. <see cref="At"/> is when it happened (event time);
/// <see cref="RequestStartedAt"/> is when the request it answers started, which orders login outcomes.
/// </summary>
public sealed record AccountFact(
    AccountFactKind Kind,
    long At,
    long RequestStartedAt,
    string? RequestId = null,
    string? EventType = null,
    string? ErrorCode = null,
    long? PinExpiresAt = null)
{
    public static AccountFact Event(long at, string eventType, string? errorCode, string? requestId = null, long? requestStartedAt = null, long? pinExpiresAt = null) =>
        new(AccountFactKind.Event, at, Math.Min(requestStartedAt ?? at, at), requestId, eventType, errorCode, pinExpiresAt);

    public static AccountFact PinSubmitted(long at, string requestId, long? requestStartedAt = null) =>
        new(AccountFactKind.PinSubmitted, at, Math.Min(requestStartedAt ?? at, at), requestId);

    public static AccountFact PinExpired(long at, string requestId) => new(AccountFactKind.PinExpired, at, at, requestId);

    /// <summary>A <c>/me</c> answer; the check is a request that started when it was made.</summary>
    public static AccountFact Session(long at, bool active) =>
        new(active ? AccountFactKind.SessionActive : AccountFactKind.SessionNotActive, at, at);
}

/// <summary>
/// The two dimensions of an account's state as a pure fold over its facts: the login state from the
/// login flow only, ordered by when each outcome's request started (so a late outcome of an older
/// request never overrides a newer one), and the health flags' times, ordered by event time.
/// Both the writer (one fact per event) and <see cref="AccountStateProjection.Recompute"/> (all stored
/// facts) go through <see cref="Apply"/>, so they cannot disagree.
/// </summary>
public static class AccountStateMachine
{
    public static readonly TimeSpan RateLimitWindow = TimeSpan.FromHours(1);
    private static readonly long RateLimitWindowMs = (long)RateLimitWindow.TotalMilliseconds;

    public static AccountStateRecord Fold(IEnumerable<AccountFact> facts, AccountStateRecord? start = null) =>
        facts.OrderBy(f => f.At).Aggregate(start ?? new AccountStateRecord(), Apply);

    public static AccountStateRecord Apply(AccountStateRecord s, AccountFact f) => f.Kind switch
    {
        AccountFactKind.Event => ApplyLoginOutcome(ApplyHealth(s, f), f),
        AccountFactKind.PinSubmitted => ApplyPinSubmitted(s, f),
        AccountFactKind.PinExpired => s.PendingPinRequestId == f.RequestId && s.Login is LoginState.PinRequired or LoginState.PinSubmitted
            ? s with { Login = LoginState.PinExpired, LoginSince = f.At, LoginUpdatedAt = f.At }
            : s,
        AccountFactKind.SessionActive => ApplySession(s, f, LoginState.Connected, LoginState.SessionExpired),
        AccountFactKind.SessionNotActive => ApplySession(s, f, LoginState.SessionExpired, LoginState.Connected),
        _ => s,
    };

    /// <summary>The login state an event reports, if it is a login outcome.</summary>
    public static LoginState? LoginStateOf(string eventType) => eventType switch
    {
        EventTypes.LoginSuccess => LoginState.Connected,
        EventTypes.LoginPinRequired => LoginState.PinRequired,
        EventTypes.LoginFailed => LoginState.LoginFailed,
        _ => null,
    };

    private static bool IsNotOlder(AccountStateRecord s, AccountFact f) =>
        f.RequestStartedAt > s.LoginRequestStartedAt || (f.RequestStartedAt == s.LoginRequestStartedAt && f.At >= s.LoginUpdatedAt);

    private static AccountStateRecord ApplyLoginOutcome(AccountStateRecord s, AccountFact f)
    {
        if (LoginStateOf(f.EventType!) is not { } login || !IsNotOlder(s, f)) return s;
        var code = login == LoginState.LoginFailed ? f.ErrorCode : null;
        var pending = login == LoginState.PinRequired ? f.RequestId : null;
        var same = login == s.Login && code == s.LoginErrorCode && pending == s.PendingPinRequestId;
        return s with
        {
            Login = login,
            LoginErrorCode = code,
            LoginSince = same ? s.LoginSince ?? f.At : f.At,
            LoginRequestStartedAt = f.RequestStartedAt,
            LoginUpdatedAt = f.At,
            PendingPinRequestId = pending,
            PinExpiresAt = login == LoginState.PinRequired ? f.PinExpiresAt : null,
        };
    }

    private static AccountStateRecord ApplyPinSubmitted(AccountStateRecord s, AccountFact f)
    {
        var forPending = s.PendingPinRequestId == f.RequestId && s.Login is LoginState.PinRequired or LoginState.PinExpired;
        // A PIN request whose account an operator chose has moved no account yet.
        var fromUnknown = s.Login == LoginState.Unknown && IsNotOlder(s, f);
        if (!forPending && !fromUnknown) return s;
        return s with
        {
            Login = LoginState.PinSubmitted,
            LoginErrorCode = null,
            LoginSince = f.At,
            LoginRequestStartedAt = forPending ? s.LoginRequestStartedAt : f.RequestStartedAt,
            LoginUpdatedAt = f.At,
            PendingPinRequestId = f.RequestId,
        };
    }

    /// <summary>
    /// A <c>/me</c> answer moves only between Connected, SessionExpired and Unknown: a login under way
    /// or a failed one is the login flow's to settle.
    /// </summary>
    private static AccountStateRecord ApplySession(AccountStateRecord s, AccountFact f, LoginState to, LoginState from)
    {
        if (!IsNotOlder(s, f) || (s.Login != from && s.Login != LoginState.Unknown)) return s;
        return s with
        {
            Login = to,
            LoginErrorCode = null,
            LoginSince = f.At,
            LoginRequestStartedAt = f.RequestStartedAt,
            LoginUpdatedAt = f.At,
            PendingPinRequestId = null,
            PinExpiresAt = null,
        };
    }

    private static AccountStateRecord ApplyHealth(AccountStateRecord s, AccountFact f)
    {
        if (f.ErrorCode == ErrorCodes.RateLimited)
        {
            var sameRun = s.RateLimitedAt is { } last && s.RateLimitedSince is not null && f.At - last <= RateLimitWindowMs && f.At >= s.RateLimitedSince;
            s = s with
            {
                RateLimitedSince = sameRun ? s.RateLimitedSince : f.At,
                RateLimitedAt = Math.Max(s.RateLimitedAt ?? f.At, f.At),
            };
        }
        if (f.ErrorCode == ErrorCodes.AccountRestricted && s.RestrictedSince is null)
            s = s with { RestrictedSince = f.At };
        else if (f.EventType == EventTypes.LoginSuccess && s.RestrictedSince is { } restricted && f.At >= restricted)
            s = s with { RestrictedSince = null };

        if (f.At >= (s.LastActionAt ?? long.MinValue))
        {
            s = s with
            {
                LastActionAt = f.At,
                ProxyTroubleSince = f.ErrorCode == ErrorCodes.ProxyError ? s.ProxyTroubleSince ?? f.At : null,
            };
        }
        return s;
    }
}
