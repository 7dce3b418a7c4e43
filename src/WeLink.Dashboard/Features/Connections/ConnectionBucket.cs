using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record ConnectionBucket(DateTimeOffset Start, long Sent, long Failed);
