using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Pins;

public sealed record PinRequestRow(
    string RequestId,
    string? AccountId,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    PinRequestStatus Status,
    DateTimeOffset? SubmittedAt,
    string? SubmittedBy,
    DateTimeOffset? ResolvedAt,
    string? OutcomeErrorCode,
    string? Message)
{
    /// <summary>Expired by time even when the sweeper has not marked it yet.</summary>
    public PinRequestStatus EffectiveStatus(DateTimeOffset now) =>
        Status is PinRequestStatus.Pending or PinRequestStatus.Submitted && ExpiresAt <= now ? PinRequestStatus.Expired : Status;
}
