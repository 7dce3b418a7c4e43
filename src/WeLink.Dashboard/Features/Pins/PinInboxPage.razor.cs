using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public partial class PinInboxPage
{
    public const int HistoryLength = 50;

    /// <summary>
    /// At most this many pending cards, oldest first: an operator answers them from the top, and a backlog
    /// of thousands (a fleet-wide re-login) must not make every second's countdown re-render thousands of
    /// cards. The rest are counted below the cards and move up as the ones above are answered or expire.
    /// </summary>
    public const int CardsShown = 50;
    public const string FallbackOperatorName = "operator";
    /// <summary>The query parameter of an alert's link to one request: <c>/pins?request=id</c>.</summary>
    public const string RequestParameter = "request";
    /// <summary>Request ids are We-Link's GUIDs; anything much longer is not one and is not looked up.</summary>
    public const int MaxRequestIdLength = 200;

    private IReadOnlyList<PinRequestRow>? _open;
    private int _waitingTotal;
    private int _notShown;
    private IReadOnlyList<PinRequestRow> _history = [];
    private IReadOnlyList<AccountName> _accounts = [];
    // Requests this operator submitted here: they stay on top with their outcome until dismissed.
    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);
    private string _operatorName = FallbackOperatorName;
    private DateTimeOffset _now;
    private UiTicker? _ticker;
    // The request an alert's link points at, shown on top with its outcome whether or not it is still pending.
    private string? _linked;
    private bool _linkedMissing;
    private string? _scrolledTo;

    [SupplyParameterFromQuery(Name = RequestParameter)] public string? LinkedRequest { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private PinQueries Pins { get; set; } = null!;
    [Inject] private AccountNameQueries AccountNames { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var user = (await AuthenticationState).User;
            if (user.Identity?.IsAuthenticated == true && !string.IsNullOrWhiteSpace(user.Identity.Name)) _operatorName = user.Identity.Name;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var linked = string.IsNullOrWhiteSpace(LinkedRequest) ? null : LinkedRequest.Trim();
        if (_open is not null && string.Equals(linked, _linked, StringComparison.Ordinal)) return;
        _linked = linked;
        _scrolledTo = null;
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
            _ticker = UiTicker.Start(TimeSpan.FromSeconds(1), Time, () => InvokeAsync(TickAsync), error => _ = InvokeAsync(() => DispatchExceptionAsync(error)));
        if (_linked is null || _scrolledTo == _linked || _open?.FirstOrDefault(r => r.RequestId == _linked) is not { } linked) return;
        _scrolledTo = _linked;
        // Focus scrolls the card into view, then moves to its PIN box when there is one (an operator, a pending request).
        try
        {
            await JS.InvokeVoidAsync("welinkDashboard.focusElement", PinRequestCard.CardId(linked.RequestId));
            if (linked.EffectiveStatus(Time.GetUtcNow()) == PinRequestStatus.Pending)
                await JS.InvokeVoidAsync("welinkDashboard.focusElement", PinRequestCard.PinInputId(linked.RequestId));
        }
        catch (JSException)
        {
            // Scrolling is a convenience: the card is highlighted and on top either way.
        }
        catch (JSDisconnectedException)
        {
        }
    }

    // Tighter than the summaries' second: a PIN request waits for a person: it appears at once.
    protected override TimeSpan LiveReloadGap => TimeSpan.FromMilliseconds(250);

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind is LiveChangeKind.PinsChanged or LiveChangeKind.AccountsChanged
        || change.Event?.EventType is EventTypes.LoginPinRequired or EventTypes.LoginSuccess or EventTypes.LoginFailed;

    protected override Task OnLiveChangeAsync() => LoadAsync();

    private async Task TickAsync()
    {
        var before = _now;
        _now = Time.GetUtcNow();
        // A request that just ran out of time leaves the pending list for the history.
        if (_open?.Any(r => r.ExpiresAt > before && r.ExpiresAt <= _now && r.Status is PinRequestStatus.Pending or PinRequestStatus.Submitted) == true)
            await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        var pending = await Pins.PendingAsync(CancellationToken.None, CardsShown);
        var open = pending.ToList();
        var counts = await Pins.CountsAsync(CancellationToken.None);
        _waitingTotal = counts.Waiting;
        foreach (var requestId in _followed.Where(id => open.All(r => r.RequestId != id)).ToList())
        {
            if (await Pins.GetAsync(requestId, CancellationToken.None) is { } finished) open.Insert(0, finished);
            else _followed.Remove(requestId);
        }
        _linkedMissing = false;
        if (_linked is { } linkedId)
        {
            var index = open.FindIndex(r => r.RequestId == linkedId);
            if (index < 0)
            {
                var finished = linkedId.Length <= MaxRequestIdLength ? await Pins.GetAsync(linkedId, CancellationToken.None) : null;
                if (finished is null) _linkedMissing = true;
                else open.Insert(0, finished);
            }
            else if (index > 0)
            {
                // The linked card comes first: on a phone it is the one the operator came for.
                var row = open[index];
                open.RemoveAt(index);
                open.Insert(0, row);
            }
        }
        _history = await Pins.HistoryAsync(HistoryLength, CancellationToken.None);
        _accounts = open.Any(r => r.AccountId is null) ? await AccountNames.ListAsync(CancellationToken.None) : [];
        _now = Time.GetUtcNow();
        // Open requests beyond the cards (a linked or followed one further down the queue is a card already).
        _notShown = Math.Max(0, counts.Waiting + counts.Submitted
            - open.Count(r => r.Status is PinRequestStatus.Pending or PinRequestStatus.Submitted && r.ExpiresAt > _now));
        _open = open;
    }

    /// <summary>Requests waiting for a PIN: all of them, less the cards whose time ran out since the last load.</summary>
    private int WaitingCount(IReadOnlyList<PinRequestRow> open) =>
        Math.Max(0, _waitingTotal - open.Count(r => r.Status == PinRequestStatus.Pending && r.EffectiveStatus(_now) != PinRequestStatus.Pending));

    private async Task FollowAsync(string requestId)
    {
        _followed.Add(requestId);
        await LoadAsync();
    }

    private async Task DismissAsync(string requestId)
    {
        _followed.Remove(requestId);
        if (requestId == _linked)
        {
            // Back to the plain inbox; the link's query goes with it.
            Navigation.NavigateTo(DashboardUrls.Pins);
            return;
        }
        await LoadAsync();
    }

    public override void Dispose()
    {
        _ticker?.Dispose();
        base.Dispose();
    }
}
