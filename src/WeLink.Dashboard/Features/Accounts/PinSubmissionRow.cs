using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public sealed record PinSubmissionRow(string RequestId, string SubmittedBy, DateTimeOffset SubmittedAt, PinSubmissionOutcome Outcome, string? Detail);
