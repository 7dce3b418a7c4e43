using System.Text.RegularExpressions;

namespace WeLink.Webhooks;

/// <summary>A request the dashboard knows: registered through the API, made by the dashboard, or seen on an earlier event.</summary>
/// <param name="AccountAuthenticated">
/// The account came from a signed source (a registration, the dashboard, a body field); false when
/// it was only ever hinted by a URL, so it stays a hint for the request's later events.
/// </param>
/// <param name="MessageSent">A MESSAGE_SENT is already stored under the request: a later SUCCESS on it is the tracked reply.</param>
public sealed record KnownRequest(string RequestId, string? AccountId, string? Action, bool AccountAuthenticated = true, bool MessageSent = false);

/// <summary>What the classifier may look up; the ingest writer answers from the database.</summary>
public interface IClassificationLookup
{
    KnownRequest? FindRequest(string requestId);
    string? FindAccountByEmail(string email);
    string? FindAccountByProfileId(string profileId);
}

/// <summary>Hints carried by the webhook URL: <c>/webhooks/welink/{event}</c>, <c>?event=</c>, <c>?account=</c>.</summary>
public sealed record WebhookHints(string? EventType = null, string? AccountId = null)
{
    public static readonly WebhookHints None = new();
}

public sealed record EventClassification(
    string EventType,
    DerivationSource TypeSource,
    string? AccountId,
    DerivationSource AccountSource,
    string? Status,
    string? RequestId,
    string? ErrorCode,
    string? Message)
{
    /// <summary>
    /// The account a known request names when the body names another: the body's stands (it is
    /// signed and comes first), the disagreement is logged and shown on the event.
    /// </summary>
    public string? ConflictingAccountId { get; init; }
}

/// <summary>
/// Derives event type, account and error code from a body that documents neither, in the
/// order design.md fixes (body field, known request, URL hint, inference, unknown) and says how.
/// The URL is not signed: a hint only fills what the signed body and the known requests leave open.
/// </summary>
public static partial class WebhookClassifier
{
    public const int MaxTokenLength = 64;
    public const int MaxAccountIdLength = 128;

    private static readonly HashSet<string> OutcomeStatuses = new(StringComparer.Ordinal) { "SUCCESS", "FAILED", "PIN_REQUIRED" };

    public static EventClassification Classify(WebhookEnvelope envelope, WebhookHints hints, IClassificationLookup lookup)
    {
        var errorCode = ErrorCodeOf(envelope);
        var message = MessageOf(envelope, errorCode);
        var known = envelope.RequestId is { } requestId ? lookup.FindRequest(requestId) : null;

        var (type, typeSource) = ClassifyType(envelope, hints, known, errorCode);
        var (account, accountSource) = Attribute(envelope, hints, known, lookup);
        var conflicting = accountSource == DerivationSource.Explicit && known is { AccountAuthenticated: true, AccountId: { } knownAccount }
            && !string.Equals(knownAccount, account, StringComparison.Ordinal) ? knownAccount : null;
        var status = typeSource == DerivationSource.Correlated ? StatusOf(type, envelope.Status) : envelope.Status;
        return new EventClassification(type, typeSource, account,
            conflicting is null ? accountSource : DerivationSource.Conflicting, status, envelope.RequestId, errorCode, message)
        {
            ConflictingAccountId = conflicting,
        };
    }

    private static (string, DerivationSource) ClassifyType(WebhookEnvelope envelope, WebhookHints hints, KnownRequest? known, string? errorCode)
    {
        if (NormalizeToken(envelope.ExplicitType) is { } explicitType) return (explicitType, DerivationSource.Explicit);
        if (known?.Action is { } action && FromAction(action, envelope.Status, known.MessageSent) is { } correlated)
            return (correlated, DerivationSource.Correlated);
        if (NormalizeToken(hints.EventType) is { } hinted) return (hinted, DerivationSource.Hinted);
        if (Infer(envelope, errorCode) is { } inferred) return (inferred, DerivationSource.Inferred);
        return (EventTypes.Unknown, DerivationSource.Unknown);
    }

    /// <summary>
    /// Rule 2: a known action family combined with the status. The families We-Link documents no
    /// failure type for (profile view, profile data, search, message sync) keep their type on a
    /// failure (see <see cref="StatusOf"/>); a SUCCESS after a message's MESSAGE_SENT is its tracked reply.
    /// </summary>
    public static string? FromAction(string action, string? status, bool messageSent = false)
    {
        var success = status == "SUCCESS";
        return RequestActions.Normalize(action) switch
        {
            RequestActions.Login => status switch
            {
                "PIN_REQUIRED" => EventTypes.LoginPinRequired,
                "SUCCESS" => EventTypes.LoginSuccess,
                _ => EventTypes.LoginFailed,
            },
            RequestActions.Connect => success ? EventTypes.ConnectionSent : EventTypes.ConnectionFailed,
            RequestActions.Message => success ? (messageSent ? EventTypes.MessageReply : EventTypes.MessageSent) : EventTypes.MessageFailed,
            RequestActions.MessageSync => EventTypes.MessageReply,
            RequestActions.ViewProfile => EventTypes.ProfileViewed,
            RequestActions.ScrapeProfile => EventTypes.ProfileData,
            RequestActions.Search => EventTypes.SearchCompleted,
            _ => null,
        };
    }

    /// <summary>The status a correlated event is stored with: <c>FAILED</c> for a failure of a family whose type has no failed twin.</summary>
    public static string? StatusOf(string eventType, string? status) =>
        status is null or "SUCCESS" or "FAILED" or "PIN_REQUIRED" ? status
        : eventType is EventTypes.MessageReply or EventTypes.ProfileViewed or EventTypes.ProfileData or EventTypes.SearchCompleted ? "FAILED"
        : status;

    /// <summary>Rule 4 (after the URL hint): a guess from the body's shape.</summary>
    private static string? Infer(WebhookEnvelope envelope, string? errorCode)
    {
        if (envelope.Status == "PIN_REQUIRED") return EventTypes.LoginPinRequired;
        if (envelope.ResultHas("connected")) return EventTypes.ConnectionSent;
        if (envelope.ResultHas("first_name")
            && (envelope.ResultHas("public_identifier") || envelope.ResultHas("premium") || envelope.ResultHas("email")))
            return EventTypes.LoginSuccess;
        if (errorCode is ErrorCodes.WrongPassword or ErrorCodes.RecruiterAcknowledgementRequired) return EventTypes.LoginFailed;
        return null;
    }

    private static (string?, DerivationSource) Attribute(WebhookEnvelope envelope, WebhookHints hints, KnownRequest? known, IClassificationLookup lookup)
    {
        if (NormalizeAccountId(envelope.ExplicitAccountId) is { } explicitAccount) return (explicitAccount, DerivationSource.Explicit);
        if (known is { AccountAuthenticated: true, AccountId: { } correlated }) return (correlated, DerivationSource.Correlated);
        // A request whose account was only hinted keeps it: a later hint does not move it.
        if (known?.AccountId is { } hintedBefore) return (hintedBefore, DerivationSource.Hinted);
        if (NormalizeAccountId(hints.AccountId) is { } hinted) return (hinted, DerivationSource.Hinted);
        if (envelope.ResultString("email") is { } email && lookup.FindAccountByEmail(email) is { } byEmail)
            return (byEmail, DerivationSource.Inferred);
        if (envelope.ResultString("profile_id") is { } profileId && lookup.FindAccountByProfileId(profileId) is { } byProfile)
            return (byProfile, DerivationSource.Inferred);
        return (null, DerivationSource.Unknown);
    }

    /// <summary>The first of status (unless an outcome word), error, message that is an upper-snake code.</summary>
    public static string? ErrorCodeOf(WebhookEnvelope envelope)
    {
        if (envelope.Status is { } status && !OutcomeStatuses.Contains(status) && IsCode(status)) return status;
        if (envelope.Error is { } error && IsCode(error)) return error;
        if (envelope.Message is { } message && IsCode(message)) return message;
        return null;
    }

    private static string? MessageOf(WebhookEnvelope envelope, string? errorCode)
    {
        if (envelope.Message is { } message && message != errorCode) return message;
        if (envelope.Error is { } error && error != errorCode) return error;
        return null;
    }

    public static bool IsCode(string text) => text.Length <= MaxTokenLength && UpperSnake().IsMatch(text);

    /// <summary>An event-type token from a body field or URL: upper-cased, '-', '.' and ' ' read as '_'; null when not a token.</summary>
    public static string? NormalizeToken(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var token = text.Trim().ToUpperInvariant().Replace('-', '_').Replace('.', '_').Replace(' ', '_');
        return token.Length <= MaxTokenLength && TokenShape().IsMatch(token) ? token : null;
    }

    public static string? NormalizeAccountId(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var id = text.Trim();
        return id.Length <= MaxAccountIdLength && !id.Any(char.IsControl) ? id : null;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("^[A-Z0-9_]+$")]
    private static partial Regex TokenShape();
}
