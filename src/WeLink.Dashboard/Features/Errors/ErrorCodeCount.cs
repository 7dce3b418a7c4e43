using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record ErrorCodeCount(string Code, long Count, string Meaning, string Advice, bool Documented);
