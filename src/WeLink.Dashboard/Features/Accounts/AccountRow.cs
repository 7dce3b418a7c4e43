using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Gateway;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>An account as lists, the API and the hub show it: login state and health side by side.</summary>
public sealed record AccountRow(
    string AccountId,
    string? Email,
    string? DisplayName,
    LoginState LoginState,
    string? LoginErrorCode,
    DateTimeOffset? LoginStateSince,
    IReadOnlyList<AccountHealthFlag> Health,
    AccountBudget Budget,
    DateTimeOffset? LastEventAt,
    string? LastEventType,
    string? LastErrorCode,
    PendingPinInfo? PendingPin,
    long EventCount,
    bool KnownToWeLink,
    DateTimeOffset? SessionCheckedAt)
{
    /// <summary>Deprecated alias of <see cref="LoginState"/>, kept for scripts written against the single state.</summary>
    public LoginState State => LoginState;
}
