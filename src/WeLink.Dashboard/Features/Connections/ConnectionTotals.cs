using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record ConnectionTotals(long Sent, long Failed)
{
    public double? SuccessRate => Sent + Failed == 0 ? null : (double)Sent / (Sent + Failed);
}
