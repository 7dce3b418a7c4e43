using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>Tracked requests and where each stands: waiting, done, overdue, missing or lost, with request-to-outcome times per action.</summary>
public partial class RequestsPage
{
    public const int PageSize = 100;

    private RequestFilter _filter = RequestFilter.None;
    private RequestPage? _page;
    private IReadOnlyDictionary<RequestState, int> _counts = new Dictionary<RequestState, int>();
    private IReadOnlyList<OutcomeTime> _times = [];

    [Inject] private RequestQueries Queries { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? Action { get; set; }
    [SupplyParameterFromQuery(Name = "state")] public string? State { get; set; }
    [SupplyParameterFromQuery(Name = "caller")] public string? Caller { get; set; }

    protected override Task OnParametersSetAsync()
    {
        _filter = RequestsView.Filter(Account, Action, State, Caller);
        return LoadAsync();
    }

    protected override bool IsRelevant(LiveChange change) => change.Kind is LiveChangeKind.RequestsChanged or LiveChangeKind.EventReceived;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _page = await Queries.ListAsync(_filter, PageSize, null, CancellationToken.None);
        _counts = await Queries.CountByStateAsync(_filter, CancellationToken.None);
        _times = await Queries.OutcomeTimesAsync(_filter with { State = null }, CancellationToken.None);
    }

    private void Go(RequestFilter filter) => Navigation.NavigateTo(DashboardUrls.RequestsFiltered(filter));

    private void OnStateChanged(RequestState? state) => Go(_filter with { State = state });

    private void OnActionChanged(string? action) => Go(_filter with { Action = string.IsNullOrWhiteSpace(action) ? null : action });

    private void OnAccountChanged(string? account) => Go(_filter with { Account = string.IsNullOrWhiteSpace(account) ? null : account.Trim() });

    private void OnCallerChanged(string? caller) => Go(_filter with { Caller = string.IsNullOrWhiteSpace(caller) ? null : caller.Trim() });
}
