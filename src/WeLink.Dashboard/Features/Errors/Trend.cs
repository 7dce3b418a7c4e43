using MudBlazor;

namespace WeLink.Dashboard.Features.Errors;

public sealed record Trend(string Text, string Icon, Color Color);
