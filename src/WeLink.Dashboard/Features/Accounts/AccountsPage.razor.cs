using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Accounts;

public partial class AccountsPage
{
    /// <summary>Rows shown at once; the pager appears when the list is longer than the smallest size.</summary>
    public const int RowsPerPage = 50;

    private static readonly int[] PageSizes = [RowsPerPage, 100, 250];

    private readonly KeptRows<string, AccountRow> _kept = new(r => r.AccountId);
    private IReadOnlyList<KeptRow<AccountRow>>? _rows;
    private string? _searchText;
    private bool _syncing;

    [SupplyParameterFromQuery(Name = "search")] public string? Search { get; set; }
    [SupplyParameterFromQuery(Name = "loginState")] public string? LoginStateParameter { get; set; }
    /// <summary>The old name of <see cref="LoginStateParameter"/>, so existing links keep working.</summary>
    [SupplyParameterFromQuery(Name = "state")] public string? State { get; set; }
    [SupplyParameterFromQuery(Name = "health")] public string? Health { get; set; }

    [Inject] private AccountQueries Accounts { get; set; } = null!;
    [Inject] private AccountSync Sync { get; set; } = null!;
    [Inject] private SessionHeartbeat Heartbeat { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private FleetCheckResult? _fleetCheck;
    private bool _checking;

    private string? StateText => string.IsNullOrWhiteSpace(LoginStateParameter) ? State : LoginStateParameter;
    private LoginState? StateFilter => AccountStateView.Parse(StateText);
    private HealthFilter? HealthSelected => AccountStateView.ParseHealth(Health);
    private bool HasFilters => !string.IsNullOrWhiteSpace(Search) || !string.IsNullOrWhiteSpace(StateText) || !string.IsNullOrWhiteSpace(Health);

    protected override async Task OnParametersSetAsync()
    {
        _searchText = Search;
        await LoadAsync();
    }

    protected override bool IsRelevant(LiveChange change) => change.Kind != LiveChangeKind.EventRedelivered;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync() => _rows = _kept.Update(await Accounts.ListAsync(Search, StateFilter, HealthSelected, CancellationToken.None));

    // Filters navigate, so the URL always says what is shown and the back button restores it.
    private void OnSearchChanged(string? text)
    {
        _searchText = text;
        Navigation.NavigateTo(DashboardUrls.AccountsFiltered(text?.Trim(), StateFilter?.ToString(), HealthSelected?.ToString()));
    }

    private void OnStateChanged(string? state) =>
        Navigation.NavigateTo(DashboardUrls.AccountsFiltered(Search, string.IsNullOrEmpty(state) ? null : state, HealthSelected?.ToString()));

    private void OnHealthChanged(string? health) =>
        Navigation.NavigateTo(DashboardUrls.AccountsFiltered(Search, StateFilter?.ToString(), string.IsNullOrEmpty(health) ? null : health));

    private async Task CheckFleetAsync()
    {
        _checking = true;
        try
        {
            _fleetCheck = await Heartbeat.CheckFleetAsync(CancellationToken.None);
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task SyncAsync()
    {
        _syncing = true;
        try
        {
            await Sync.SyncNowAsync(CancellationToken.None);
            await LoadAsync();
        }
        finally
        {
            _syncing = false;
        }
    }

    private string SyncText => _syncing ? "Syncing…" : "Sync with We-Link";

    private static AccountName NameOf(AccountRow row) => new(row.AccountId, row.DisplayName, row.Email);

    private static string Meaning(string code) => ErrorCodes.Describe(code).Meaning;

    /// <summary>
    /// A code like <c>INVITATION_LIMIT_REACHED</c> that may break after its underscores (and nowhere
    /// else), so the table fits its width instead of scrolling sideways.
    /// </summary>
    private static MarkupString BreakableCode(string code) =>
        new(string.Join("_<wbr>", code.Split('_').Select(System.Net.WebUtility.HtmlEncode)));
}
