using MudBlazor;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Errors;

public sealed record Trend(string Text, string Icon, Color Color);
