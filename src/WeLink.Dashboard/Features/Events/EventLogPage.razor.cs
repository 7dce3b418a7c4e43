using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Events;

/// <summary>
/// The raw event log: filters from the URL, a server-paged grid that follows new events while on
/// the first page (unless paused), and a detail panel for the event named by <c>event=</c>.
/// </summary>
public partial class EventLogPage : IDisposable
{
    /// <summary>However fast events arrive, the grid re-queries at most this often.</summary>
    private static readonly TimeSpan GridReloadGap = TimeSpan.FromMilliseconds(500);

    private static readonly string[] ShortcutKeys = ["/", "?", "Escape"];

    private MudDataGrid<EventSummary>? _grid;
    private GridData<EventSummary> _lastPage = new() { Items = [], TotalItems = 0 };
    private EventFilter _filter = EventFilter.None;
    private EventFilterChoices _choices = EventFilterChoices.Empty;
    private volatile bool _choicesStale;
    private EventLogTail _tail = null!;
    private EventDetail? _detail;
    private long? _detailId;
    private bool _detailLoading;
    private volatile bool _detailStale;
    private KeyboardShortcuts? _shortcuts;
    private bool _disposed;

    [Inject] private EventQueries Queries { get; set; } = null!;
    [Inject] private EventFilterChoiceQueries ChoiceQueries { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "type")] public string? Type { get; set; }
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "errorCode")] public string? ErrorCode { get; set; }
    [SupplyParameterFromQuery(Name = "since")] public string? Since { get; set; }
    [SupplyParameterFromQuery(Name = "until")] public string? Until { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    /// <summary>The <c>event</c> query parameter as typed: a hand-edited URL may hold anything, which selects nothing.</summary>
    [SupplyParameterFromQuery(Name = "event")] public string? EventParameter { get; set; }

    private long? SelectedEvent =>
        long.TryParse(EventParameter, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>Why the search text cannot be used, shown above the grid instead of results.</summary>
    private string? SearchError => EventFilter.CheckSearch(_filter.Q);

    protected override void OnInitialized()
    {
        // Before the base subscribes: live changes go to the tail from then on.
        _tail = new EventLogTail(Time, GridReloadGap);
        base.OnInitialized();
    }

    protected override async Task OnInitializedAsync() => _choices = await ChoiceQueries.LoadAsync(CancellationToken.None);

    protected override async Task OnParametersSetAsync()
    {
        var filter = EventLogView.FromQuery(Type, Account, Status, ErrorCode, Since, Until, Q);
        if (filter != _filter)
        {
            _filter = filter;
            _tail.FilterChanged();
            if (_grid is not null)
            {
                if (_grid.CurrentPage != 0) _grid.NavigateTo(Page.First);
                await ReloadGridAsync();
            }
        }
        await LoadDetailAsync(force: false);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _shortcuts = new KeyboardShortcuts(JS);
        await _shortcuts.RegisterAsync(ShortcutKeys, key => InvokeAsync(() => HandleShortcutAsync(key)));
    }

    // Tighter than the summaries' second: the live tail shows a new event within a second, with room for the query.
    protected override TimeSpan LiveReloadGap => TimeSpan.FromMilliseconds(250);

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind == LiveChangeKind.EventRedelivered || (change.Kind == LiveChangeKind.EventReceived && change.Event is not null);

    protected override void OnChangeArrived(LiveChange change)
    {
        if (change.Kind == LiveChangeKind.EventRedelivered)
        {
            // A redelivery names no event id: refresh an open panel whose account it could be.
            if (_detailId is not null && (_detail is null || _detail.Summary.AccountId == change.AccountId)) _detailStale = true;
            return;
        }
        var e = change.Event!;
        _tail.EventArrived(EventLogView.Matches(_filter, e));
        var choices = _choices;
        if (!choices.Types.Contains(e.EventType)
            || (e.AccountId is { } account && !choices.Accounts.Any(a => a.AccountId == account))
            || e.EventType == WeLink.Webhooks.EventTypes.LoginSuccess
            || (e.ErrorCode is { } code && !choices.ErrorCodes.Contains(code)))
            _choicesStale = true;
    }

    protected override async Task OnLiveChangeAsync()
    {
        if (_choicesStale)
        {
            _choicesStale = false;
            _choices = await ChoiceQueries.LoadAsync(CancellationToken.None);
        }
        if (_detailStale)
        {
            _detailStale = false;
            await LoadDetailAsync(force: true);
        }
        if (_grid is null) return;
        switch (_tail.NextReload())
        {
            case { } wait when wait == TimeSpan.Zero:
                await ReloadGridAsync();
                break;
            case { } wait:
                _ = ReloadLaterAsync(wait);
                break;
        }
    }

    private async Task ReloadLaterAsync(TimeSpan wait)
    {
        await Task.Delay(wait, Time);
        await InvokeAsync(async () =>
        {
            if (!_tail.DeferredReloadDue() || _disposed || _grid is null) return;
            try
            {
                await ReloadGridAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
    }

    private Task ReloadGridAsync()
    {
        _tail.Reloading();
        return _grid?.ReloadServerData() ?? Task.CompletedTask;
    }

    private async Task<GridData<EventSummary>> LoadPageAsync(GridState<EventSummary> state, CancellationToken cancellationToken)
    {
        _tail.PageRequested(state.Page);
        var pageSize = Math.Clamp(state.PageSize, 1, EventLogView.PageSizes[^1]);
        try
        {
            var (items, total) = await Queries.PageAsync(_filter, state.Page, pageSize, cancellationToken);
            _tail.PageLoaded(state.Page, items.Count > 0 ? items[0].Id : null);
            return _lastPage = new GridData<EventSummary> { Items = items, TotalItems = total };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer load replaced this one: keep showing what is there rather than flashing an empty grid.
            return _lastPage;
        }
    }

    private string RowStyle(EventSummary e, int index) =>
        "cursor: pointer;"
        + (e.Id == SelectedEvent ? " background-color: var(--mud-palette-action-default-hover);" : "")
        + (_tail.IsJustArrived(e.Id) ? " box-shadow: inset 3px 0 0 var(--mud-palette-success);" : "");

    private static string? Shorten(string? text) => text is { Length: > 80 } ? text[..79] + "…" : text;

    private void ApplyFilter(EventFilter filter) => Navigation.NavigateTo(DashboardUrls.EventLog(filter));

    private void OnRowClick(DataGridRowClickEventArgs<EventSummary> args)
    {
        if (args.Item.Id != SelectedEvent) Navigation.NavigateTo(DashboardUrls.EventLog(_filter, args.Item.Id));
    }

    private void CloseDetail()
    {
        if (SelectedEvent is not null) Navigation.NavigateTo(DashboardUrls.EventLog(_filter));
    }

    private void OnDrawerOpenChanged(bool open)
    {
        if (!open) CloseDetail();
    }

    private async Task LoadDetailAsync(bool force)
    {
        if (SelectedEvent is not { } id)
        {
            _detailId = null;
            _detail = null;
            return;
        }
        if (!force && _detailId == id) return;
        if (_detailId != id) _detail = null;
        _detailId = id;
        _detailLoading = true;
        try
        {
            _detail = await Queries.GetAsync(id, CancellationToken.None);
        }
        finally
        {
            _detailLoading = false;
        }
    }

    private void Pause() => _tail.Pause();

    /// <summary>Back to the newest events, following again: first page, reloaded.</summary>
    private async Task ShowNewAsync()
    {
        _tail.Resume();
        if (_grid is null) return;
        if (_grid.CurrentPage != 0) _grid.NavigateTo(Page.First);
        await ReloadGridAsync();
    }

    private Task ShowShortcutsAsync() =>
        Dialogs.ShowAsync<ShortcutsDialog>("Keyboard shortcuts",
            new DialogOptions { CloseOnEscapeKey = true, CloseButton = true, MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });

    /// <summary>What the page's shortcuts do; called on the renderer.</summary>
    public async Task HandleShortcutAsync(string key)
    {
        switch (key)
        {
            case "/":
                try
                {
                    await JS.InvokeVoidAsync("welinkDashboard.focusElement", EventFilterBar.SearchInputId);
                }
                catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
                {
                    // The search box is one click away.
                }
                break;
            case "?":
                await ShowShortcutsAsync();
                break;
            case "Escape":
                CloseDetail();
                break;
        }
    }

    public override void Dispose()
    {
        _disposed = true;
        _shortcuts?.Dispose();
        base.Dispose();
    }
}
