using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Errors;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record PinSubmissionRow(string RequestId, string SubmittedBy, DateTimeOffset SubmittedAt, PinSubmissionOutcome Outcome, string? Detail);
