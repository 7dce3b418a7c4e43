using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record AccountDetail(
    AccountRow Account,
    IReadOnlyList<StateChangeRow> StateHistory,
    IReadOnlyList<ErrorCodeCount> Errors,
    ConnectionTotals Connections,
    IReadOnlyList<PinSubmissionRow> PinSubmissions);
