using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Connections;

/// <summary>How connection requests turn out: sent vs failed over time, totals, and per account with failure reasons.</summary>
public partial class ConnectionsPage : IDisposable
{
    public const string DefaultPreset = "7d";

    private StatsRange _range = StatsRange.Rolling(DefaultPreset);
    private (DateTimeOffset Since, DateTimeOffset Until) _window;
    private DateTimeOffset _now;
    private string? _account;
    private IReadOnlyList<AccountName> _accounts = [];
    private ConnectionStats? _stats;
    private ConnectionChart _chart = new([], [], "per hour");
    private readonly BarChartOptions _chartOptions = new()
    {
        ChartPalette = ["#2e7d32", "#d32f2f"],
        YAxisTicks = 1,
        ShowLegend = true,
    };

    [Inject] private ConnectionStatsQueries Queries { get; set; } = null!;
    [Inject] private AccountNameQueries AccountNames { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "range")] public string? Range { get; set; }
    [SupplyParameterFromQuery(Name = "since")] public string? Since { get; set; }
    [SupplyParameterFromQuery(Name = "until")] public string? Until { get; set; }
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Preferences.Changed += OnPreferencesChanged;
        _accounts = await AccountNames.ListAsync(CancellationToken.None);
    }

    protected override Task OnParametersSetAsync()
    {
        _range = StatsRange.FromQuery(Range, Since, Until, DefaultPreset);
        _account = string.IsNullOrWhiteSpace(Account) ? null : Account.Trim();
        return LoadAsync();
    }

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind == LiveChangeKind.EventReceived
        && change.Event?.EventType is EventTypes.ConnectionSent or EventTypes.ConnectionFailed;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _now = Time.GetUtcNow();
        _window = _range.Resolve(_now);
        var stats = await Queries.GetAsync(_account, _window.Since, _window.Until, CancellationToken.None);
        _accounts = AccountChoices.WithCurrent(_accounts, _account);
        foreach (var row in stats.PerAccount)
            if (row.Account is { } account && !_accounts.Any(a => a.AccountId == account.AccountId)) _accounts = [.. _accounts, account];
        _stats = stats;
        BuildChart();
    }

    private void BuildChart()
    {
        if (_stats is null) return;
        var buckets = ConnectionsView.Buckets(_stats.PerHour, _stats.Since, _stats.Until, Preferences.UtcOffset);
        _chart = ConnectionsView.Chart(buckets, Preferences.UtcOffset, Preferences.Use24HourClock);
    }

    // The operator's zone and clock arrive after the first render: re-label the chart then.
    private void OnPreferencesChanged() => _ = InvokeAsync(() =>
    {
        BuildChart();
        StateHasChanged();
    });

    private void OnRangeChanged(StatsRange range) => Navigation.NavigateTo(range.Url((s, u) => DashboardUrls.ConnectionsFor(_account, s, u)));

    private void OnAccountChanged(string? account) => Navigation.NavigateTo(_range.Url((s, u) => DashboardUrls.ConnectionsFor(account, s, u)));

    public override void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        base.Dispose();
    }
}
