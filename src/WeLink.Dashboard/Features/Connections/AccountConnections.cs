using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record AccountConnections(string? AccountId, long Sent, long Failed, IReadOnlyList<(string Reason, long Count)> FailureReasons)
{
    public double? SuccessRate => Sent + Failed == 0 ? null : (double)Sent / (Sent + Failed);
}
