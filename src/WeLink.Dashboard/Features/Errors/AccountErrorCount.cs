using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record AccountErrorCount(string? AccountId, string Code, long Count);
