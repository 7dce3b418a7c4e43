using WeLink.Dashboard.Data;
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

public sealed class RegisterRequest(RequestRegistration registration) : WriteOperation
{
    public override object? Apply(WriteSession session)
    {
        session.Execute(
            """
            INSERT INTO Requests (RequestId, AccountId, Action, Source, CreatedAt) VALUES ($r, $a, $action, 'Registered', $now)
            ON CONFLICT (RequestId) DO UPDATE SET AccountId = excluded.AccountId, Action = excluded.Action, Source = 'Registered'
            """,
            ("$r", registration.RequestId!.Trim()), ("$a", registration.AccountId!.Trim()),
            ("$action", RequestActions.Normalize(registration.Action)), ("$now", session.NowMs));
        return null;
    }
}
