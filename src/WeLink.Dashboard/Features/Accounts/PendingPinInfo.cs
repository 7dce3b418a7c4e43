using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record PendingPinInfo(string RequestId, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, PinRequestStatus Status);
