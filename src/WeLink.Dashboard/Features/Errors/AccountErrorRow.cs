using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

public sealed record AccountErrorRow(string? AccountId, long Total, IReadOnlyList<(string Code, long Count)> Codes);
