using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Errors;

public sealed record AccountErrorCount(string? AccountId, string Code, long Count)
{
    /// <summary>The account's name and e-mail when known; the id stays the key.</summary>
    public string? DisplayName { get; init; }
    public string? Email { get; init; }
}
