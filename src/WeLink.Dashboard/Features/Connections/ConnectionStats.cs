using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record ConnectionStats(DateTimeOffset Since, DateTimeOffset Until, ConnectionTotals Totals,
    IReadOnlyList<HourlyConnections> PerHour, IReadOnlyList<AccountConnections> PerAccount);
