using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Errors;

/// <summary>Error codes hitting the fleet over a range: chart, per-code table with trend and advice, per-account breakdown.</summary>
public partial class ErrorsPage
{
    public const string DefaultPreset = "24h";

    private StatsRange _range = StatsRange.Rolling(DefaultPreset);
    private (DateTimeOffset Since, DateTimeOffset Until) _window;
    private DateTimeOffset _now;
    private string? _account;
    private IReadOnlyList<AccountName> _accounts = [];
    private ErrorStats? _stats;
    private IReadOnlyList<AccountErrorRow> _byAccount = [];
    private string[] _chartLabels = [];
    private List<ChartSeries<double>> _chartSeries = [];
    private readonly BarChartOptions _chartOptions = new() { XAxisLabelRotation = 20, YAxisTicks = 1, ShowLegend = true };

    [Inject] private ErrorStatsQueries Queries { get; set; } = null!;
    [Inject] private AccountNameQueries AccountNames { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "range")] public string? Range { get; set; }
    [SupplyParameterFromQuery(Name = "since")] public string? Since { get; set; }
    [SupplyParameterFromQuery(Name = "until")] public string? Until { get; set; }
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }

    protected override async Task OnInitializedAsync() => _accounts = await AccountNames.ListAsync(CancellationToken.None);

    protected override Task OnParametersSetAsync()
    {
        _range = StatsRange.FromQuery(Range, Since, Until, DefaultPreset);
        _account = string.IsNullOrWhiteSpace(Account) ? null : Account.Trim();
        return LoadAsync();
    }

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind == LiveChangeKind.EventReceived && change.Event?.ErrorCode is not null;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _now = Time.GetUtcNow();
        _window = _range.Resolve(_now);
        var stats = await Queries.GetAsync(_account, _window.Since, _window.Until, CancellationToken.None);
        _accounts = AccountChoices.WithCurrent(_accounts, _account);
        _byAccount = ErrorsView.ByAccount(stats.ByAccount);
        (_chartLabels, _chartSeries) = ErrorsView.Chart(stats.Codes);
        _stats = stats;
    }

    private void OnRangeChanged(StatsRange range) => Navigation.NavigateTo(range.Url((s, u) => DashboardUrls.ErrorsFor(_account, s, u)));

    private void OnAccountChanged(string? account) => Navigation.NavigateTo(_range.Url((s, u) => DashboardUrls.ErrorsFor(account, s, u)));
}
