using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

public sealed record AccountConnections(string? AccountId, long Sent, long Failed, IReadOnlyList<(string Reason, long Count)> FailureReasons)
{
    /// <summary>The account's name and e-mail when known; the id stays the key.</summary>
    public string? DisplayName { get; init; }
    public string? Email { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public AccountName? Account => AccountId is null ? null : new AccountName(AccountId, DisplayName, Email);

    public double? SuccessRate => Sent + Failed == 0 ? null : (double)Sent / (Sent + Failed);
}
