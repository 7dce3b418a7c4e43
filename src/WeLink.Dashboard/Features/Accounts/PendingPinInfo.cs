using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record PendingPinInfo(string RequestId, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, PinRequestStatus Status);
