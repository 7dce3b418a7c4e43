using WeLink.Dashboard.Data;
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
public sealed class RegisterRequest(RequestRegistration registration) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        var requestId = registration.RequestId!.Trim();
        var accountId = WebhookClassifier.NormalizeAccountId(registration.AccountId)!;
        using (var reader = session.Command(StoreWebhookEvent.RequestLookupSql, ("$r", requestId)).ExecuteReader())
        {
            // An account from an authenticated source stands; one only hinted by a URL is corrected.
            if (reader.Read() && !reader.IsDBNull(0) && reader.GetInt64(2) == 1 && reader.GetString(0) != accountId)
                return new RegistrationResult(reader.GetString(0), 0);
        }
        session.Execute(
            """
            INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, 'Registered', $now)
            ON CONFLICT (RequestId) DO UPDATE SET AccountId = excluded.AccountId,
                Action = CASE WHEN Requests.Source = 'Observed' THEN excluded.Action ELSE COALESCE(Requests.Action, excluded.Action) END,
                Source = CASE WHEN Requests.Source = 'Observed' THEN 'Registered' ELSE Requests.Source END
            """,
            ("$r", requestId), ("$a", accountId), ("$action", RequestActions.Normalize(registration.Action)), ("$now", session.NowMs));

        var moved = new List<(long Id, long At, string Type, string? Error, string? From)>();
        using (var reader = session.Command(
            "SELECT Id, ReceivedAt, EventType, ErrorCode, AccountId FROM Events WHERE RequestId = $r AND AccountSource IN ('Hinted', 'Inferred', 'Unknown')",
            ("$r", requestId)).ExecuteReader())
        {
            while (reader.Read())
            {
                var from = reader.IsDBNull(4) ? null : reader.GetString(4);
                if (from != accountId) moved.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), from));
            }
        }

        session.Execute(
            "UPDATE Events SET AccountSource = 'Conflicting' WHERE RequestId = $r AND AccountSource = 'Explicit' AND AccountId <> $a",
            ("$r", requestId), ("$a", accountId));
        var pins = session.Execute(
            """
            UPDATE PinRequests SET AccountId = $a
            WHERE RequestId = $r AND (AccountId IS NULL OR (AccountId <> $a AND
                  (SELECT AccountSource FROM Events WHERE Id = PinRequests.EventId) NOT IN ('Explicit', 'Correlated', 'Conflicting')))
            """,
            ("$a", accountId), ("$r", requestId));
        // After the PIN requests: they read the source of their event as it was.
        foreach (var e in moved) EventProjections.Reattribute(session, e.Id, e.At, e.Type, e.Error, e.From, accountId);
        if (pins > 0)
        {
            // A pending PIN that moved: the account it left no longer waits for it, the new one does.
            session.Execute(
                """
                UPDATE Accounts SET LoginState = 'Unknown', PendingPinRequestId = NULL, PinExpiresAt = NULL
                WHERE PendingPinRequestId = $r AND AccountId <> $a
                """,
                ("$r", requestId), ("$a", accountId));
            session.Execute(
                """
                UPDATE Accounts SET LoginState = 'PinRequired', StateErrorCode = NULL, StateChangedAt = p.RequestedAt,
                    PendingPinRequestId = p.RequestId, PinExpiresAt = p.ExpiresAt
                FROM (SELECT RequestId, RequestedAt, ExpiresAt FROM PinRequests WHERE RequestId = $r AND Status IN ('Pending', 'Submitted')) AS p
                WHERE AccountId = $a AND COALESCE(StateChangedAt, 0) <= p.RequestedAt
                """,
                ("$r", requestId), ("$a", accountId));
            session.Publish(new LiveChange(LiveChangeKind.PinsChanged, AccountId: accountId));
        }
        if (moved.Count > 0) session.Publish(new LiveChange(LiveChangeKind.AccountsChanged, AccountId: accountId));
        return new RegistrationResult(accountId, moved.Count);
    }
}
