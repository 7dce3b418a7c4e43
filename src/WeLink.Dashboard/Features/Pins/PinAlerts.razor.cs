using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Pins;

public partial class PinAlerts
{
    public static readonly TimeSpan SnackbarDuration = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A request that arrives while the snackbar has been on screen for less than this joins it, its text changing in
    /// place; after it, a fresh snackbar (with its full <see cref="SnackbarDuration"/>) replaces it. Under a stream of PIN
    /// requests each open page adds one snackbar per this time, not one per reload: adding and animating snackbars was
    /// most of what ten open pages cost their browser.
    /// </summary>
    public static readonly TimeSpan JoinWithin = SnackbarDuration / 2;

    private readonly ConcurrentQueue<EventSummary> _arrived = new();
    // The one PIN snackbar on screen and the requests it announces, so it closes once they all got their PIN.
    private PinAnnouncement? _shown;
    private int _pending;
    // The count the browser last took, so a reload that changes nothing does not call it again.
    private int? _pendingShown;
    private bool _interactive;
    private bool _signedIn = true;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private PinQueries Pins { get; set; } = null!;
    [Inject] private PendingPinCount Count { get; set; } = null!;
    [Inject] private AccountNameQueries AccountNames { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    private string WaitingText => _pending == 1 ? "PIN waiting" : "PINs waiting";

    /// <summary>Starts with the visible text, as speech input users say what they see (WCAG 2.5.3).</summary>
    private string WaitingLabel => $"{_pending} {WaitingText}: open the PIN inbox";

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

    /// <summary>The title's count and the sound are for an operator looking at another tab.</summary>
    protected override bool HoldWhileHidden => false;

    protected override bool IsRelevant(LiveChange change) =>
        change.Kind == LiveChangeKind.PinsChanged
        // A login outcome may answer a request an open snackbar announces.
        || change.Kind == LiveChangeKind.EventReceived
            && change.Event?.EventType is EventTypes.LoginPinRequired or EventTypes.LoginSuccess or EventTypes.LoginFailed;

    protected override void OnChangeArrived(LiveChange change)
    {
        if (change.Kind == LiveChangeKind.EventReceived && change.Event is { EventType: EventTypes.LoginPinRequired } e) _arrived.Enqueue(e);
    }

    protected override async Task OnLiveChangeAsync()
    {
        var arrived = new List<EventSummary>();
        while (_arrived.TryDequeue(out var e)) arrived.Add(e);
        if (!_interactive || !_signedIn) return;
        if (arrived.Count > 0)
        {
            await AnnounceAsync(arrived.Select(e => new AnnouncedRequest(e.RequestId, e.AccountId)).ToList());
            if (Preferences.PinSound) await CallJsAsync("welinkDashboard.playPinSound");
        }
        await RefreshCountAsync();
    }

    /// <summary>"PIN required for Priya Kowalski": names when known, ids otherwise.</summary>
    public static string AnnouncementText(IEnumerable<string?> accountIds, IReadOnlyDictionary<string, AccountName> names)
    {
        var accounts = accountIds.Distinct(StringComparer.Ordinal)
            .Select(id => id is null ? "an unknown account" : AccountNameQueries.Of(id, names).Text).ToList();
        return accounts.Count switch
        {
            1 => $"PIN required for {accounts[0]}",
            <= 3 => $"PIN required for {string.Join(", ", accounts)}",
            _ => $"PIN required for {accounts[0]}, {accounts[1]} and {accounts.Count - 2} more accounts",
        };
    }

    /// <summary>
    /// New requests join the snackbar on screen when it is recent (<see cref="JoinWithin"/>), its text changing in
    /// place; otherwise one snackbar names every announced request still on screen and the new ones.
    /// </summary>
    private async Task AnnounceAsync(IReadOnlyList<AnnouncedRequest> arrived)
    {
        var current = _shown is { Snackbar: { } snackbar } shown && Snackbar.ShownSnackbars.Contains(snackbar) ? shown : null;
        var requests = (current?.Requests ?? []).Concat(arrived).Distinct().ToList();
        if (current is not null && requests.Count == current.Requests.Count) return; // redelivered: nothing new
        var text = await TextOfAsync(requests);
        if (current is not null && Time.GetUtcNow() - current.ShownAt < JoinWithin)
        {
            current.Update(requests, text);
            return;
        }
        if (current?.Snackbar is { } old) Snackbar.Remove(old);
        Show(requests, text);
    }

    private void Show(IReadOnlyList<AnnouncedRequest> requests, string text)
    {
        var announcement = new PinAnnouncement(requests, text, Time.GetUtcNow());
        // A component, not a string: the text changes in place, and names and ids from webhooks stay text.
        var snackbar = Snackbar.Add(builder =>
        {
            builder.OpenComponent<PinAnnouncementText>(0);
            builder.AddComponentParameter(1, nameof(PinAnnouncementText.Announcement), announcement);
            builder.CloseComponent();
        }, Severity.Warning, options =>
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
        }, key: "pin-" + string.Join(",", requests.Select(r => r.RequestId ?? r.AccountId)));
        if (snackbar is null) return; // the same requests are on screen already
        announcement.Snackbar = snackbar;
        _shown = announcement;
    }

    private async Task RefreshCountAsync()
    {
        _pending = _signedIn ? (await Pins.CountsAsync(CancellationToken.None)).Waiting : 0;
        // The navigation's badge shows the same count: it follows from here instead of querying on its own.
        if (_signedIn) Count.Set(_pending);
        await UpdateAnnouncementAsync();
        if (_pendingShown == _pending) return;
        if (await CallJsAsync("welinkDashboard.setPendingPins", _pending)) _pendingShown = _pending;
    }

    /// <summary>
    /// The snackbar closes once every request it names was answered (or expired); while some still wait it names
    /// only those, its text changing in place, so "PIN required for …" never outlives the need. Only the requests
    /// on screen are looked up, however many wait.
    /// </summary>
    private async Task UpdateAnnouncementAsync()
    {
        if (_shown is not { Snackbar: { } snackbar } shown) return;
        if (!Snackbar.ShownSnackbars.Contains(snackbar))
        {
            _shown = null; // its time was up, or the operator closed it
            return;
        }
        var waiting = _signedIn
            ? await Pins.StillWaitingAsync(
                shown.Requests.Where(r => r.RequestId is not null).Select(r => r.RequestId!).Distinct(StringComparer.Ordinal).ToList(),
                shown.Requests.Where(r => r.RequestId is null && r.AccountId is not null).Select(r => r.AccountId!).Distinct(StringComparer.Ordinal).ToList(),
                CancellationToken.None)
            : [];
        var still = shown.Requests.Where(r => waiting.Any(w => r.RequestId is not null ? w.RequestId == r.RequestId : w.AccountId == r.AccountId)).ToList();
        if (still.Count == shown.Requests.Count) return;
        if (still.Count == 0)
        {
            Snackbar.Remove(snackbar);
            _shown = null;
            return;
        }
        shown.Update(still, await TextOfAsync(still));
    }

    private async Task<string> TextOfAsync(IReadOnlyList<AnnouncedRequest> requests) =>
        AnnouncementText(requests.Select(r => r.AccountId), await AccountNames.LookupAsync(requests.Select(r => r.AccountId), CancellationToken.None));

    /// <summary>False when the browser did not take the call.</summary>
    private async Task<bool> CallJsAsync(string identifier, params object?[] args)
    {
        try
        {
            // Ends when the connection goes down, rather than at the interop timeout a minute later.
            await JS.InvokeVoidAsync(identifier, WhileConnected, args);
            return true;
        }
        catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
        {
            // The browser went away or did not answer in time; the badge catches up on the next change
            // (or on the reload the page gets when its browser comes back).
            return false;
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
