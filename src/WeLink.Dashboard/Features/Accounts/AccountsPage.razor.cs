using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Accounts;

public partial class AccountsPage
{
    private IReadOnlyList<AccountRow>? _rows;
    private string? _searchText;
    private bool _syncing;

    [SupplyParameterFromQuery(Name = "search")] public string? Search { get; set; }
    [SupplyParameterFromQuery(Name = "state")] public string? State { get; set; }

    [Inject] private AccountQueries Accounts { get; set; } = null!;
    [Inject] private AccountSync Sync { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private LoginState? StateFilter => AccountStateView.Parse(State);
    private bool HasFilters => !string.IsNullOrWhiteSpace(Search) || !string.IsNullOrWhiteSpace(State);

    protected override async Task OnParametersSetAsync()
    {
        _searchText = Search;
        await LoadAsync();
    }

    protected override bool IsRelevant(LiveChange change) => change.Kind != LiveChangeKind.EventRedelivered;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync() => _rows = await Accounts.ListAsync(Search, StateFilter, CancellationToken.None);

    // Filters navigate, so the URL always says what is shown and the back button restores it.
    private void OnSearchChanged(string? text)
    {
        _searchText = text;
        Navigation.NavigateTo(DashboardUrls.AccountsFiltered(text?.Trim(), StateFilter?.ToString()));
    }

    private void OnStateChanged(string? state) =>
        Navigation.NavigateTo(DashboardUrls.AccountsFiltered(Search, string.IsNullOrEmpty(state) ? null : state));

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

    private static string Meaning(string code) => ErrorCodes.Describe(code).Meaning;
}
