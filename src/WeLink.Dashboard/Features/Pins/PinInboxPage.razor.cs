using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public partial class PinInboxPage
{
    public const int HistoryLength = 50;
    public const string FallbackOperatorName = "operator";

    private IReadOnlyList<PinRequestRow>? _open;
    private IReadOnlyList<PinRequestRow> _history = [];
    private IReadOnlyList<AccountName> _accounts = [];
    // Requests this operator submitted here: they stay on top with their outcome until dismissed.
    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);
    private string _operatorName = FallbackOperatorName;
    private DateTimeOffset _now;
    private UiTicker? _ticker;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private PinQueries Pins { get; set; } = null!;
    [Inject] private AccountNameQueries AccountNames { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var user = (await AuthenticationState).User;
            if (user.Identity?.IsAuthenticated == true && !string.IsNullOrWhiteSpace(user.Identity.Name)) _operatorName = user.Identity.Name;
        }
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _ticker = UiTicker.Start(TimeSpan.FromSeconds(1), Time, () => InvokeAsync(TickAsync), error => _ = InvokeAsync(() => DispatchExceptionAsync(error)));
    }

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
        var pending = await Pins.PendingAsync(CancellationToken.None);
        var open = pending.ToList();
        foreach (var requestId in _followed.Where(id => open.All(r => r.RequestId != id)).ToList())
        {
            if (await Pins.GetAsync(requestId, CancellationToken.None) is { } finished) open.Insert(0, finished);
            else _followed.Remove(requestId);
        }
        _history = await Pins.HistoryAsync(HistoryLength, CancellationToken.None);
        _accounts = open.Any(r => r.AccountId is null) ? await AccountNames.ListAsync(CancellationToken.None) : [];
        _now = Time.GetUtcNow();
        _open = open;
    }

    private async Task FollowAsync(string requestId)
    {
        _followed.Add(requestId);
        await LoadAsync();
    }

    private async Task DismissAsync(string requestId)
    {
        _followed.Remove(requestId);
        await LoadAsync();
    }

    public override void Dispose()
    {
        _ticker?.Dispose();
        base.Dispose();
    }
}
