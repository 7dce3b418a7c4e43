using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public partial class PinAlerts
{
    public static readonly TimeSpan SnackbarDuration = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<EventSummary> _arrived = new();
    private int _pending;
    private bool _interactive;
    private bool _signedIn = true;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private PinQueries Pins { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;

    private string InboxLabel => _pending switch
    {
        0 => "PIN inbox: no request waiting for a PIN",
        1 => "PIN inbox: 1 request waiting for a PIN",
        var n => $"PIN inbox: {n} requests waiting for a PIN",
    };

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Preferences.Changed += OnPreferencesChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        var signedIn = await PinAlertAudience.IsSignedInAsync(AuthenticationState);
        if (signedIn == _signedIn) return;
        _signedIn = signedIn;
        if (_interactive) await RefreshCountAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        await RefreshCountAsync();
        StateHasChanged();
    }

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind == LiveChangeKind.PinsChanged
        || change.Kind == LiveChangeKind.EventReceived && change.Event?.EventType == EventTypes.LoginPinRequired;

    protected override void OnChangeArrived(LiveChange change)
    {
        if (change.Kind == LiveChangeKind.EventReceived && change.Event is { } e) _arrived.Enqueue(e);
    }

    protected override async Task OnLiveChangeAsync()
    {
        var arrived = new List<EventSummary>();
        while (_arrived.TryDequeue(out var e)) arrived.Add(e);
        if (!_interactive || !_signedIn) return;
        if (arrived.Count > 0)
        {
            Announce(arrived);
            if (Preferences.PinSound) await CallJsAsync("welinkDashboard.playPinSound");
        }
        await RefreshCountAsync();
    }

    private void Announce(IReadOnlyList<EventSummary> arrived)
    {
        var accounts = arrived.Select(e => e.AccountId ?? "an unknown account").Distinct(StringComparer.Ordinal).ToList();
        var text = accounts.Count switch
        {
            1 => $"PIN required for {accounts[0]}",
            <= 3 => $"PIN required for {string.Join(", ", accounts)}",
            _ => $"PIN required for {accounts[0]}, {accounts[1]} and {accounts.Count - 2} more accounts",
        };
        // A render fragment, not a string: the account id comes from a webhook and must stay text.
        Snackbar.Add(builder => builder.AddContent(0, text), Severity.Warning, options =>
        {
            options.Action = "Open PIN inbox";
            options.ActionColor = Color.Inherit;
            options.ActionVariant = Variant.Outlined;
            options.VisibleStateDuration = (int)SnackbarDuration.TotalMilliseconds;
            options.ShowCloseIcon = true;
            options.Icon = Icons.Material.Filled.Pin;
            options.OnClick = _ =>
            {
                Navigation.NavigateTo(DashboardUrls.Pins);
                return Task.CompletedTask;
            };
        }, key: "pin-" + string.Join(",", arrived.Select(e => e.Id)));
    }

    private async Task RefreshCountAsync()
    {
        _pending = _signedIn ? (await Pins.PendingAsync(CancellationToken.None)).Count(r => r.Status == Data.PinRequestStatus.Pending) : 0;
        await CallJsAsync("welinkDashboard.setPendingPins", _pending);
    }

    private async Task CallJsAsync(string identifier, params object?[] args)
    {
        try
        {
            await JS.InvokeVoidAsync(identifier, args);
        }
        catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
        {
            // The browser went away or did not answer in time; the badge catches up on the next change.
        }
    }

    private Task ToggleSoundAsync() => Preferences.SetPinSoundAsync(!Preferences.PinSound);

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    public override void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        base.Dispose();
    }
}
