using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record StateChangeRow(LoginState State, string? ErrorCode, DateTimeOffset At, long? EventId, StateChangeSource? Source);
