using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

/// <param name="Series">Counts per bucket (an hour for ranges up to two days, else a day) and code; <c>Hour</c> is the bucket's start.</param>
public sealed record ErrorStats(
    DateTimeOffset Since,
    DateTimeOffset Until,
    long Total,
    long PreviousTotal,
    IReadOnlyList<ErrorCodeTrend> Codes,
    IReadOnlyList<AccountErrorCount> ByAccount,
    IReadOnlyList<(DateTimeOffset Hour, string Code, long Count)> Series);
