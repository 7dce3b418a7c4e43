namespace WeLink.Webhooks;

/// <summary>The event types We-Link documents, and <see cref="Unknown"/>.</summary>
public static class EventTypes
{
    public const string LoginSuccess = "LOGIN_SUCCESS";
    public const string LoginFailed = "LOGIN_FAILED";
    public const string LoginPinRequired = "LOGIN_PIN_REQUIRED";
    public const string ConnectionSent = "CONNECTION_SENT";
    public const string ConnectionFailed = "CONNECTION_FAILED";
    public const string MessageSent = "MESSAGE_SENT";
    public const string MessageReply = "MESSAGE_REPLY";
    public const string MessageFailed = "MESSAGE_FAILED";
    public const string ProfileViewed = "PROFILE_VIEWED";
    public const string ProfileData = "PROFILE_DATA";
    public const string SearchCompleted = "SEARCH_COMPLETED";
    public const string Unknown = "UNKNOWN";

    public static readonly IReadOnlyList<string> Documented =
    [
        LoginSuccess, LoginFailed, LoginPinRequired, ConnectionSent, ConnectionFailed,
        MessageSent, MessageReply, MessageFailed, ProfileViewed, ProfileData, SearchCompleted,
    ];

    /// <summary>The action family a type belongs to, as <see cref="RequestActions"/> names it.</summary>
    public static string? ActionOf(string eventType) => eventType switch
    {
        LoginSuccess or LoginFailed or LoginPinRequired => RequestActions.Login,
        ConnectionSent or ConnectionFailed => RequestActions.Connect,
        MessageSent or MessageFailed => RequestActions.Message,
        MessageReply => RequestActions.MessageSync,
        ProfileViewed => RequestActions.ViewProfile,
        ProfileData => RequestActions.ScrapeProfile,
        SearchCompleted => RequestActions.Search,
        _ => null,
    };
}

/// <summary>What a request made to We-Link was for; the key of correlation.</summary>
public static class RequestActions
{
    public const string Login = "login";
    public const string Connect = "connect";
    public const string Message = "message";
    public const string MessageSync = "message_sync";
    public const string ViewProfile = "view_profile";
    public const string ScrapeProfile = "scrape_profile";
    public const string Search = "search";

    public static readonly IReadOnlyList<string> All = [Login, Connect, Message, MessageSync, ViewProfile, ScrapeProfile, Search];

    /// <summary>Accepts the names above and a few common spellings ("connection", "view", ...).</summary>
    public static string? Normalize(string? action)
    {
        if (string.IsNullOrWhiteSpace(action)) return null;
        var key = action.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        return key switch
        {
            "login" or "login_v2" or "auth" or "authentication" => Login,
            "connect" or "connection" or "invite" or "invitation" => Connect,
            "message" or "send_message" or "messaging" => Message,
            "message_sync" or "sync" or "reply" => MessageSync,
            "view_profile" or "view" or "profile_view" => ViewProfile,
            "scrape_profile" or "scrape" or "profile" or "profile_data" => ScrapeProfile,
            "search" => Search,
            _ => null,
        };
    }
}

/// <summary>Documented error codes, with what each means and what to do (We-Link's error model).</summary>
public static class ErrorCodes
{
    public const string WrongPassword = "WRONG_PASSWORD";
    public const string ProxyError = "PROXY_ERROR";
    public const string AccountRestricted = "ACCOUNT_RESTRICTED";
    public const string RateLimited = "STATUS_429";
    public const string ProfileNotFound = "PROFILE_NOT_FOUND";
    public const string RecruiterAcknowledgementRequired = "RECRUITER_ACKNOWLEDGEMENT_REQUIRED";

    public sealed record ErrorCodeInfo(string Code, string Meaning, string Advice);

    public static readonly IReadOnlyDictionary<string, ErrorCodeInfo> Documented = new[]
    {
        new ErrorCodeInfo(WrongPassword, "Invalid LinkedIn credentials.", "Check the account's LinkedIn credentials, then log in again."),
        new ErrorCodeInfo(ProxyError, "The proxy connection failed.", "Check the proxy settings, or switch the account to We-Link's internal proxy."),
        new ErrorCodeInfo(AccountRestricted, "LinkedIn restricted the account.", "Cut the account's activity, wait, or contact LinkedIn."),
        new ErrorCodeInfo(RateLimited, "LinkedIn's rate limit was hit.", "Slow down: the account hit a rate limit; wait before retrying."),
        new ErrorCodeInfo(ProfileNotFound, "The target profile does not exist.", "The target profile id is wrong or gone; fix the lead data."),
        new ErrorCodeInfo(RecruiterAcknowledgementRequired, "A LinkedIn Recruiter session needs acknowledging.", "The account owner must acknowledge the session in LinkedIn Recruiter."),
    }.ToDictionary(i => i.Code, StringComparer.Ordinal);

    /// <summary>The documented description, or a neutral one for a code We-Link has not documented.</summary>
    public static ErrorCodeInfo Describe(string code) =>
        Documented.TryGetValue(code, out var info)
            ? info
            : new ErrorCodeInfo(code, "Not documented by We-Link.", "Look at the events carrying this code; report it to We-Link if it persists.");
}

/// <summary>How a classification or attribution was derived (rule order: explicit, correlated, hinted, inferred).</summary>
public enum DerivationSource
{
    Explicit = 0,
    Hinted = 1,
    Correlated = 2,
    Inferred = 3,
    Unknown = 4,
    /// <summary>The body names the account and a known request names another: the body's stands, the conflict is shown.</summary>
    Conflicting = 5,
}
