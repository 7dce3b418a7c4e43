using MudBlazor;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

public sealed record AccountErrorRow(string? AccountId, long Total, IReadOnlyList<(string Code, long Count)> Codes)
{
    /// <summary>The account with its name when known; null for unattributed errors.</summary>
    public AccountName? Account { get; init; }
}
