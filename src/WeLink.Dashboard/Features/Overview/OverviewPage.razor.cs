using System.Globalization;
using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Overview;

public partial class OverviewPage
{
    /// <summary>Rejected deliveries are not on the live feed and ages move on their own: refresh now and then.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    private FleetOverview? _overview;
    private UiTicker? _ticker;

    [Inject] private OverviewQueries Queries { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _ticker = UiTicker.Start(RefreshPeriod, Time, () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }),
                error => _ = InvokeAsync(() => DispatchExceptionAsync(error)));
    }

    protected override bool IsRelevant(LiveChange change) => change.Kind != LiveChangeKind.EventRedelivered;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync() => _overview = await Queries.GetAsync(CancellationToken.None);

    private static IEnumerable<(LoginState State, int Count)> StateCounts(FleetOverview overview) =>
        AccountStateView.DisplayOrder
            .Select(state => (state, overview.AccountsByState.GetValueOrDefault(state)))
            .Where(x => x.Item2 > 0);

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public override void Dispose()
    {
        _ticker?.Dispose();
        base.Dispose();
    }
}
