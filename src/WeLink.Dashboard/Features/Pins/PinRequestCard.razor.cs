using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Features.Pins;

public partial class PinRequestCard
{
    /// <summary>Below this much time left, the countdown turns red.</summary>
    public static readonly TimeSpan UrgentBelow = TimeSpan.FromMinutes(2);

    private string? _code;
    private string? _codeError;
    private string? _accountId;
    private string? _accountError;
    private bool _submitting;
    private PinSubmitResult? _result;

    [Parameter, EditorRequired] public PinRequestRow Request { get; set; } = null!;
    /// <summary>The page's clock, ticking every second, so every card counts down together.</summary>
    [Parameter, EditorRequired] public DateTimeOffset Now { get; set; }
    /// <summary>Accounts to pick from when the request has none.</summary>
    [Parameter] public IReadOnlyList<AccountName> Accounts { get; set; } = [];
    /// <summary>The signed-in operator, recorded beside the submission.</summary>
    [Parameter, EditorRequired] public string OperatorName { get; set; } = "operator";
    /// <summary>Raised with the request id once We-Link took the PIN.</summary>
    [Parameter] public EventCallback<string> OnSubmitted { get; set; }
    /// <summary>Raised with the request id when the operator clears a finished request away.</summary>
    [Parameter] public EventCallback<string> OnDismiss { get; set; }
    /// <summary>The card an alert's link points at (<c>/pins?request=id</c>): highlighted, and the page scrolls to it.</summary>
    [Parameter] public bool Linked { get; set; }

    [Inject] private PinSubmissionService Submissions { get; set; } = null!;
    [Inject] private UiPreferences Preferences { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;

    private PinRequestStatus Status => Request.EffectiveStatus(Now);
    private bool IsOpen => Status is PinRequestStatus.Pending or PinRequestStatus.Submitted;
    private TimeSpan TimeLeft => Request.ExpiresAt - Now;
    /// <summary>The account in plain text, for accessible names: its name when known.</summary>
    private string AccountText => Request.Account?.Text
        ?? (_accountId is { } chosen ? Accounts.FirstOrDefault(a => a.AccountId == chosen)?.Text ?? chosen : "unknown account");
    private string InputId => PinInputId(Request.RequestId);
    /// <summary>The card's element id; the inbox focuses it (or the PIN box) to bring a linked card into view.</summary>
    public static string CardId(string requestId) => "pin-request-" + requestId;
    public static string PinInputId(string requestId) => "pin-" + requestId;
    private bool SubmittedByMe => string.Equals(Request.SubmittedBy, OperatorName, StringComparison.Ordinal);

    private double RemainingPercent
    {
        get
        {
            var total = (Request.ExpiresAt - Request.RequestedAt).TotalSeconds;
            return total <= 0 ? 0 : Math.Clamp(TimeLeft.TotalSeconds / total * 100, 0, 100);
        }
    }

    private Color StatusColor => PinOutcomeView.Describe(Status).Color;

    private void OnCodeChanged(string? code)
    {
        _code = code;
        // Re-check as the operator corrects a PIN that was refused; stay quiet before the first attempt.
        if (_codeError is not null) _codeError = PinCode.TryNormalize(code, out _, out var error) ? null : error;
    }

    private void OnAccountChanged(string? accountId)
    {
        _accountId = accountId;
        _accountError = null;
    }

    private async Task SubmitAsync()
    {
        // A second click, Enter or Retry while the first submission is in flight does nothing.
        if (_submitting) return;
        if (!PinCode.TryNormalize(_code, out _, out var error))
        {
            _codeError = error;
            return;
        }
        _codeError = null;
        var account = Request.AccountId ?? _accountId;
        if (string.IsNullOrWhiteSpace(account))
        {
            _accountError = "Pick the account this PIN is for.";
            return;
        }
        if (await TakeRateLimitPermitAsync() is { } refusal)
        {
            _result = refusal;
            return;
        }

        _submitting = true;
        _result = null;
        try
        {
            // Not cancelled when the operator leaves the page: the claim and its record must complete together.
            _result = await Submissions.SubmitAsync(Request.RequestId, _code, Request.AccountId is null ? account : null, OperatorName, CancellationToken.None);
        }
        finally
        {
            _submitting = false;
        }

        switch (_result.Status)
        {
            case PinSubmitStatus.Accepted:
                _code = null;
                await OnSubmitted.InvokeAsync(Request.RequestId);
                break;
            case PinSubmitStatus.InvalidCode:
                _codeError = _result.Message;
                break;
            case PinSubmitStatus.NeedsAccount:
                _accountError = _result.Message;
                break;
        }
    }

    /// <summary>Null when the operator may submit; otherwise what to show instead.</summary>
    private async Task<PinSubmitResult?> TakeRateLimitPermitAsync()
    {
        // Registered by the pins feature; absent in a bare setup.
        if (Services.GetService(typeof(PinSubmissionRateLimiter)) is not PinSubmissionRateLimiter limiter) return null;
        try
        {
            // The same budget as POST /api/pins: keyed by the operator's name.
            var decision = await limiter.TryAcquireAsync(OperatorName, CancellationToken.None);
            return decision.Allowed ? null : new PinSubmitResult(PinSubmitStatus.Conflict, PinSubmissionRateLimiter.RejectionMessage(decision.RetryAfter));
        }
        catch (Data.DatabaseUnavailableException)
        {
            return new PinSubmitResult(PinSubmitStatus.Unavailable, "The database is unavailable. Try again.");
        }
    }

    /// <summary>We-Link did not take the PIN or the database was busy: the same PIN can be sent again.</summary>
    private static bool CanRetry(PinSubmitResult result) => result.Status is PinSubmitStatus.UpstreamFailed or PinSubmitStatus.Unavailable;

    private static string AccountOption(AccountName account) =>
        account.IsNamed ? $"{account.LongText} · {account.AccountId}" : account.AccountId;
}
