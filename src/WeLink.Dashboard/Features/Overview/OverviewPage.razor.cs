using System.Globalization;
using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Overview;

public partial class OverviewPage
{
    /// <summary>Rejected deliveries are not on the live feed and ages move on their own: refresh now and then.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    /// <summary>How many waiting accounts the PIN card names.</summary>
    public const int WaitingShown = 3;

    private FleetOverview? _overview;
    private ConnectionTotals _today = new(0, 0);
    private IReadOnlyList<PinRequestRow> _waiting = [];
    private UiTicker? _ticker;

    [Inject] private OverviewQueries Queries { get; set; } = null!;
    [Inject] private ConnectionStatsQueries Connections { get; set; } = null!;
    [Inject] private PinQueries Pins { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnPreferencesChanged;
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _ticker = UiTicker.Start(RefreshPeriod, Time, () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }),
                error => _ = InvokeAsync(() => DispatchExceptionAsync(error)));
    }

    protected override bool IsRelevant(LiveChange change) => change.Kind != LiveChangeKind.EventRedelivered;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var overview = await Queries.GetAsync(CancellationToken.None);
        // "Today" is the operator's day, from the browser's time zone, not the server's UTC one.
        _today = await Connections.TotalsAsync(Preferences.StartOfDay(overview.At), overview.At, CancellationToken.None);
        _waiting = overview.PendingPins > 0 ? await Pins.OldestWaitingAsync(WaitingShown, CancellationToken.None) : [];
        _overview = overview;
    }

    // The browser's zone arrives after the first render: recount the day then.
    private void OnPreferencesChanged() => _ = InvokeAsync(async () =>
    {
        try
        {
            await LoadAsync();
            StateHasChanged();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    private static IEnumerable<(LoginState State, int Count)> StateCounts(FleetOverview overview) =>
        AccountStateView.DisplayOrder
            .Select(state => (state, overview.AccountsByState.GetValueOrDefault(state)))
            .Where(x => x.Item2 > 0);

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public override void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        _ticker?.Dispose();
        base.Dispose();
    }
}
