using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>A request made elsewhere, told to the dashboard so its webhooks correlate.</summary>
public sealed record RequestRegistration(string? RequestId, string? AccountId, string? Action)
{
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(RequestId) || RequestId.Length > 256) errors.Add("requestId is required (at most 256 characters).");
        if (WebhookClassifier.NormalizeAccountId(AccountId) is null) errors.Add("accountId is required (at most 128 characters).");
        if (RequestActions.Normalize(Action) is null) errors.Add("action must be one of: " + string.Join(", ", RequestActions.All) + ".");
        return errors;
    }
}

/// <summary>How a registration went: <see cref="KnownAccountId"/> differs from the registered one when an earlier authenticated source stands.</summary>
public sealed record RegistrationResult(string KnownAccountId, int EventsAttributed)
{
    public bool Conflicts(string accountId) => !string.Equals(KnownAccountId, accountId, StringComparison.Ordinal);
}

/// <summary>
/// Records the request (an authenticated source: <c>POST /api/requests</c> or the gateway) and
/// attributes the events already stored under its id, whatever order they came in: those typed by
/// a hint, a guess or nothing take the type its action family and their status give; those
/// attributed by a hint, a guess or nothing move to its account; counters, PIN requests and the
/// account's login state follow. An event whose body names another account keeps it and shows the
/// conflict. An account the request already had from an authenticated source stands. With no
/// account (a login whose e-mail is not known yet) only the types are settled.
/// </summary>
/// <summary>Who made a tracked request, and how long its outcome may take before it is asked for.</summary>
public sealed record RequestTracking(string? Caller, TimeSpan OverdueAfter);

public sealed class RegisterRequest(RequestRegistration registration, TimeSpan? pinTimeout = null, RequestTracking? tracking = null)
    : WriteOperation<RegistrationResult>
{
    public override RegistrationResult Apply(WriteSession session)
    {
        var requestId = registration.RequestId!.Trim();
        var accountId = WebhookClassifier.NormalizeAccountId(registration.AccountId);
        var family = RequestActions.Normalize(registration.Action);
        // An account from an authenticated source stands; one only hinted by a URL is corrected.
        if (accountId is not null && session.FindRequest(requestId) is { AccountId: { } known, AccountAuthenticated: true } && known != accountId)
            return new RegistrationResult(known, 0);
        if (accountId is null) session.UpsertUnattributedRequest(requestId, family, session.NowMs);
        else session.UpsertRegisteredRequest(requestId, accountId, family, session.NowMs);

        var events = session.EventsOfRequest(requestId);
        var pins = 0;
        if (accountId is not null)
        {
            session.MarkConflictingEvents(requestId, accountId);
            pins = session.ReassignPinRequest(requestId, accountId);
        }
        // After the PIN requests: they read the source of their event as it was.
        var changed = 0;
        var messageSent = false;
        var affected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var (type, typeSource, status) = (e.EventType, e.TypeSource, e.Status);
            if (family is not null && !EventProjections.IsAuthenticated(e.TypeSource) && WebhookClassifier.FromAction(family, e.Status, messageSent) is { } correlated)
                (type, typeSource, status) = (correlated, DerivationSource.Correlated, WebhookClassifier.StatusOf(correlated, e.Status));
            var (account, accountSource) = (e.AccountId, e.AccountSource);
            if (accountId is not null && !EventProjections.IsAuthenticated(e.AccountSource)) (account, accountSource) = (accountId, DerivationSource.Correlated);
            if (type == EventTypes.MessageSent) messageSent = true;
            if (type == e.EventType && typeSource == e.TypeSource && account == e.AccountId && accountSource == e.AccountSource) continue;
            EventProjections.Reattribute(session, requestId, e, type, typeSource, status, account, accountSource, pinTimeout ?? DefaultPinTimeout);
            if (e.AccountId is not null) affected.Add(e.AccountId);
            if (account is not null) affected.Add(account);
            changed++;
        }
        var target = accountId ?? "";
        if (pins > 0 && accountId is not null)
        {
            // A pending PIN that moved: the account it left no longer waits for it, the new one does.
            session.ReleasePendingPin(requestId, accountId);
            session.TakeOpenPinRequest(requestId, accountId);
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        }
        if (pins > 0 && accountId is not null) affected.Add(accountId);
        // Both sides of a move: the account an event left and the one it joined are recomputed from what
        // they now hold, so a late login outcome counts by when its request started, like any other.
        foreach (var account in affected) AccountStateProjection.Recompute(session, account);
        if (tracking is not null) Track(session, requestId, accountId, tracking);
        if (changed > 0) session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        return new RegistrationResult(target, changed);
    }

    /// <summary>
    /// Starts following the request; the events already stored under it (a webhook can beat the
    /// request's answer) move it on at once, as they would have on arrival.
    /// </summary>
    private static void Track(WriteSession session, string requestId, string? accountId, RequestTracking tracking)
    {
        var now = session.NowMs;
        if (!session.StartTracking(requestId, tracking.Caller, now, now + (long)tracking.OverdueAfter.TotalMilliseconds)) return;
        foreach (var e in session.EventsOfRequest(requestId)) session.AdvanceTrackedRequest(requestId, e.EventType, e.Id, now);
        session.Publish(new LiveChange(LiveChangeKind.RequestsChanged, AccountId: accountId));
    }

    /// <summary>design.md's <c>WeLink:PinTimeout</c> default, for callers that do not pass the configured one.</summary>
    public static readonly TimeSpan DefaultPinTimeout = TimeSpan.FromMinutes(10);
}
