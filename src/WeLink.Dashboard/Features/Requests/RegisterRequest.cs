using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
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
/// Records the request (an authenticated source) and attributes the events already stored under
/// its id: those attributed by a URL hint, a guess or not at all move to its account, counters and
/// PIN requests included; an event whose body names another account keeps it and shows the conflict.
/// An account the request already had from an authenticated source stands.
/// </summary>
public sealed class RegisterRequest(RequestRegistration registration) : WriteOperation<RegistrationResult>
{
    public override RegistrationResult Apply(WriteSession session)
    {
        var requestId = registration.RequestId!.Trim();
        var accountId = WebhookClassifier.NormalizeAccountId(registration.AccountId)!;
        // An account from an authenticated source stands; one only hinted by a URL is corrected.
        if (session.FindRequest(requestId) is { AccountId: { } known, AccountAuthenticated: true } && known != accountId)
            return new RegistrationResult(known, 0);
        session.UpsertRegisteredRequest(requestId, accountId, RequestActions.Normalize(registration.Action), session.NowMs);

        var moved = session.UnauthenticatedEventsOf(requestId).Where(e => e.AccountId != accountId).ToList();
        session.MarkConflictingEvents(requestId, accountId);
        var pins = session.ReassignPinRequest(requestId, accountId);
        // After the PIN requests: they read the source of their event as it was.
        foreach (var e in moved) EventProjections.Reattribute(session, e.Id, e.At, e.EventType, e.ErrorCode, e.AccountId, accountId);
        if (pins > 0)
        {
            // A pending PIN that moved: the account it left no longer waits for it, the new one does.
            session.ReleasePendingPin(requestId, accountId);
            session.TakeOpenPinRequest(requestId, accountId);
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        }
        if (moved.Count > 0) session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        return new RegistrationResult(accountId, moved.Count);
    }
}
