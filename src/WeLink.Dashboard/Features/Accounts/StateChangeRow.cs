using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record StateChangeRow(LoginState State, string? ErrorCode, DateTimeOffset At, long? EventId);
