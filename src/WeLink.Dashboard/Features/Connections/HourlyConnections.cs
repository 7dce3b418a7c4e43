using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

/// <param name="Hour">The bucket's start: an hour for ranges up to two days, else a day.</param>
public sealed record HourlyConnections(DateTimeOffset Hour, long Sent, long Failed);
