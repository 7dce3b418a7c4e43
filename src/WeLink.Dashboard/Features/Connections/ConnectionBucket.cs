using MudBlazor;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record ConnectionBucket(DateTimeOffset Start, long Sent, long Failed);
