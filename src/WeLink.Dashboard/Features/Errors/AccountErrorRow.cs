using MudBlazor;

namespace WeLink.Dashboard.Features.Errors;

public sealed record AccountErrorRow(string? AccountId, long Total, IReadOnlyList<(string Code, long Count)> Codes);
