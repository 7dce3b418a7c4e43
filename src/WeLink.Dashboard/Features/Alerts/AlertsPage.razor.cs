using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Alerts;

public sealed partial class AlertsPage
{
    public const string Route = "/admin/alerts";

    private IReadOnlyList<AlertChannelView>? _channels;
    private AlertPage? _log;
    private string? _notice;

    [Inject] private AlertQueries Queries { get; set; } = default!;
    [Inject] private DashboardWriter Writer { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery] public string? Channel { get; set; }
    [SupplyParameterFromQuery] public string? Status { get; set; }
    [SupplyParameterFromQuery] public string? Rule { get; set; }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _channels = await Queries.ChannelsAsync(CancellationToken.None);
        var status = Enum.TryParse<AlertDeliveryStatus>(Status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : (AlertDeliveryStatus?)null;
        _log = await Queries.ListAsync(new AlertFilter(Channel, status, Rule), 100, null, CancellationToken.None);
    }

    /// <summary>Filters live in the URL, so a filtered log can be linked and the back button works.</summary>
    private void Filter(string? channel = null, string? status = null, string? rule = null) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["channel"] = Blank(channel ?? Channel),
            ["status"] = Blank(status ?? Status),
            ["rule"] = Blank(rule ?? Rule),
        }));

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task SendTestAsync(string channel)
    {
        try
        {
            await Writer.ExecuteAsync(new QueueAlertTest(channel));
            _notice = $"A test alert to {channel} is queued; its delivery shows in the log below.";
        }
        catch (DatabaseUnavailableException)
        {
            _notice = "The database is unavailable: try again.";
        }
        await LoadAsync();
    }
}

/// <summary>How the page words a channel's state and a delivery.</summary>
public static class AlertsView
{
    public static string StateOf(AlertChannelView c) =>
        c.LastError is { } error ? $"Failing: {error} ({c.Pending} waiting)"
        : c.Pending > 0 ? $"{c.Pending} waiting"
        : c.LastDeliveredAt is { } at ? $"OK, last sent {at:u}"
        : "Nothing sent yet";

    public static string Describe(AlertDeliveryView d) => d.Status switch
    {
        AlertDeliveryStatus.Delivered => $"{d.Channel}: delivered{(d.LastStatusCode is { } code ? $" ({code})" : "")} after {d.Attempts} attempt(s)",
        AlertDeliveryStatus.Abandoned => $"{d.Channel}: abandoned ({d.LastError})",
        _ when d.Attempts == 0 => $"{d.Channel}: queued",
        _ => $"{d.Channel}: {d.Attempts} failed attempt(s), last {d.LastError}; next try {d.NextAttemptAt:u}",
    };
}
