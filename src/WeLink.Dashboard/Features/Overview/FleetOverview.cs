using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Overview;

public sealed record FleetOverview(
    int Accounts,
    IReadOnlyDictionary<LoginState, int> AccountsByState,
    /// <summary>Requests waiting for a PIN (not those already submitted and waiting for their outcome).</summary>
    int PendingPins,
    DateTimeOffset? OldestPendingPinAt,
    int SubmittedPins,
    long EventsLast24Hours,
    long RejectedLast24Hours,
    IReadOnlyList<ErrorCodeCount> TopErrors,
    ConnectionTotals ConnectionsToday,
    DateTimeOffset At,
    /// <summary>Accounts per raised health flag (an account with two flags counts under both).</summary>
    IReadOnlyDictionary<HealthFlag, int>? AccountsByHealth = null);
