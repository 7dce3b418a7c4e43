using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record AccountRow(
    string AccountId,
    string? Email,
    string? DisplayName,
    LoginState State,
    string? StateErrorCode,
    DateTimeOffset? StateChangedAt,
    DateTimeOffset? LastEventAt,
    string? LastEventType,
    string? LastErrorCode,
    PendingPinInfo? PendingPin,
    long EventCount,
    bool KnownToWeLink);
