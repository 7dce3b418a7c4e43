using System.Text.Json.Serialization;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

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
    /// <summary>The account's name, when known (the id stays the key).</summary>
    public string? DisplayName { get; init; }
    public string? Email { get; init; }

    /// <summary>A gateway login's e-mail while its account id is not known yet (not in We-Link's list): the PIN cannot be sent until it is.</summary>
    public string? PendingEmail { get; init; }

    /// <summary>The account as the label component shows it, or null for a request no account was found for.</summary>
    [JsonIgnore]
    public AccountName? Account => AccountId is null ? null : new AccountName(AccountId, DisplayName, Email);

    /// <summary>Expired by time even when the sweeper has not marked it yet.</summary>
    public PinRequestStatus EffectiveStatus(DateTimeOffset now) =>
        Status is PinRequestStatus.Pending or PinRequestStatus.Submitted && ExpiresAt <= now ? PinRequestStatus.Expired : Status;
}
