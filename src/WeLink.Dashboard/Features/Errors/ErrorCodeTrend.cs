using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record ErrorCodeTrend(string Code, long Count, long PreviousCount, string Meaning, string Advice, bool Documented);
