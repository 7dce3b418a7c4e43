using WeLink.Webhooks;

namespace WeLink.Dashboard.Data;

// Times are Unix milliseconds (UTC): they index, compare and bucket cheaply in SQLite.

/// <summary>One webhook event as received: the raw body byte for byte beside the fields derived from it.</summary>
public sealed class StoredEvent
{
    public long Id { get; set; }
    public long ReceivedAt { get; set; }
    public long LastDeliveredAt { get; set; }
    public int DeliveryCount { get; set; } = 1;
    /// <summary>SHA-256 of the signed content (the body's JSON.stringify form without hash): a redelivery, whatever its spacing or escapes, is the same event.</summary>
    public byte[] BodySha256 { get; set; } = [];
    public string EventType { get; set; } = EventTypes.Unknown;
    public DerivationSource TypeSource { get; set; }
    public string? AccountId { get; set; }
    public DerivationSource AccountSource { get; set; }
    public string? Status { get; set; }
    public string? RequestId { get; set; }
    public string? ErrorCode { get; set; }
    public string? Message { get; set; }
    public SignatureOutcome Signature { get; set; }
    public byte[] RawBody { get; set; } = [];
}

/// <summary>
/// Whether an account is logged in, from its login flow only (LOGIN_* events, PIN submissions and
/// expiries, <c>/me</c> checks). What stops a logged-in account from working is a health flag, never a login state.
/// </summary>
public enum LoginState
{
    Unknown,
    Connected,
    PinRequired,
    PinSubmitted,
    PinExpired,
    LoginFailed,
    SessionExpired,
}

/// <summary>
/// An account's projection: its login state with what orders login outcomes, and the since/last
/// times its health flags are derived from at read time.
/// </summary>
public sealed class Account
{
    public string AccountId { get; set; } = "";
    public string? Email { get; set; }
    public string? ProfileId { get; set; }
    public string? DisplayName { get; set; }
    public LoginState LoginState { get; set; }
    public string? StateErrorCode { get; set; }
    /// <summary>Since when the login state holds.</summary>
    public long? StateChangedAt { get; set; }
    /// <summary>When the request behind the login state started: an outcome of an older request never overrides it.</summary>
    public long LoginRequestStartedAt { get; set; }
    /// <summary>When the login state was last set (orders outcomes of one request).</summary>
    public long LoginUpdatedAt { get; set; }
    /// <summary>The first STATUS_429 of the current run (a gap of an hour starts a new one).</summary>
    public long? RateLimitedSince { get; set; }
    /// <summary>The latest STATUS_429: the account is rate limited until an hour after it.</summary>
    public long? RateLimitedAt { get; set; }
    /// <summary>An ACCOUNT_RESTRICTED with no LOGIN_SUCCESS after it.</summary>
    public long? RestrictedSince { get; set; }
    /// <summary>The first PROXY_ERROR of the run the latest action is in; null when the latest action had none.</summary>
    public long? ProxyTroubleSince { get; set; }
    /// <summary>Event time of the latest action, for <see cref="ProxyTroubleSince"/>.</summary>
    public long? LastActionAt { get; set; }
    /// <summary>The latest <c>/me</c> check, whatever its answer (schedules the heartbeat).</summary>
    public long? SessionCheckedAt { get; set; }
    public string? PendingPinRequestId { get; set; }
    public long? PinExpiresAt { get; set; }
    public long? LastEventAt { get; set; }
    public long? LastEventId { get; set; }
    public string? LastEventType { get; set; }
    public string? LastErrorCode { get; set; }
    public long EventCount { get; set; }
    /// <summary>Listed by We-Link's <c>get_all_ln_accounts</c>.</summary>
    public bool KnownToWeLink { get; set; }
    public long? SyncedAt { get; set; }
}

public sealed class AccountStateChange
{
    public long Id { get; set; }
    public string AccountId { get; set; } = "";
    public LoginState State { get; set; }
    public string? ErrorCode { get; set; }
    public long At { get; set; }
    public long? EventId { get; set; }
    /// <summary>What made the change; null on rows written before this was recorded.</summary>
    public StateChangeSource? Source { get; set; }
}

public enum StateChangeSource
{
    Event,
    PinSubmission,
    PinExpiry,
    /// <summary>A <c>/me</c> answer: the only record of it, which a recompute reads back.</summary>
    SessionCheck,
    Recompute,
}

public enum RequestSource
{
    Observed,
    Registered,
    Dashboard,
}

/// <summary>A We-Link request id with its account and action, for correlating later events.</summary>
public sealed class TrackedRequest
{
    public string RequestId { get; set; } = "";
    public string? AccountId { get; set; }
    public string? Action { get; set; }
    public RequestSource Source { get; set; }
    public long CreatedAt { get; set; }
    /// <summary>Where the request stands; null for a request only seen in a webhook (not tracked).</summary>
    public RequestState? State { get; set; }
    /// <summary>Who made it: the gateway's caller (token name or "api-key") or the registering operator.</summary>
    public string? Caller { get; set; }
    public long? RequestedAt { get; set; }
    public long? StateSince { get; set; }
    /// <summary>The event that settled it (Done).</summary>
    public long? OutcomeEventId { get; set; }
    /// <summary>When the tracker looks at it next: Waiting turns Overdue then, Overdue and Missing are asked with get_response.</summary>
    public long? NextPollAt { get; set; }
    /// <summary>get_response calls made for it.</summary>
    public int Attempts { get; set; }
}

/// <summary>A tracked request's way to its outcome (design.md, "Request tracking").</summary>
public enum RequestState
{
    Waiting,
    PinRequired,
    PinSubmitted,
    Done,
    Overdue,
    Missing,
    Lost,
}

public enum PinRequestStatus
{
    Pending,
    Submitted,
    Succeeded,
    Failed,
    Expired,
}

public sealed class PinRequest
{
    public string RequestId { get; set; } = "";
    public string? AccountId { get; set; }
    public long EventId { get; set; }
    public long RequestedAt { get; set; }
    public long ExpiresAt { get; set; }
    public PinRequestStatus Status { get; set; }
    public long? SubmittedAt { get; set; }
    public string? SubmittedBy { get; set; }
    public long? ResolvedAt { get; set; }
    public string? OutcomeErrorCode { get; set; }
    public string? Message { get; set; }
}

public enum PinSubmissionOutcome
{
    Sent,
    Rejected,
    Failed,
    Succeeded,
    LoginFailed,
}

/// <summary>Who submitted a PIN for which request, when, and how it went. Never the PIN.</summary>
public sealed class PinSubmission
{
    public long Id { get; set; }
    public string RequestId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string SubmittedBy { get; set; } = "";
    public long SubmittedAt { get; set; }
    public PinSubmissionOutcome Outcome { get; set; }
    public string? Detail { get; set; }
}

/// <summary>Events per hour, account, type and error code: what breakdowns and charts read.</summary>
public sealed class HourlyEventCount
{
    public long Hour { get; set; }
    /// <summary>Empty for unattributed events.</summary>
    public string AccountKey { get; set; } = "";
    public string EventType { get; set; } = "";
    /// <summary>Empty when the event carried no error code.</summary>
    public string ErrorCode { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>The same counts per UTC day: what ranges of more than two days read.</summary>
public sealed class DailyEventCount
{
    public long Day { get; set; }
    public string AccountKey { get; set; } = "";
    public string EventType { get; set; } = "";
    public string ErrorCode { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>Error codes per UTC day and account: the fleet-wide error breakdown over long ranges reads only these.</summary>
public sealed class DailyErrorCount
{
    public long Day { get; set; }
    public string ErrorCode { get; set; } = "";
    public string AccountKey { get; set; } = "";
    public long Count { get; set; }

    /// <summary>
    /// On SQLite, the running total of the account's errors with this code: this day's count plus every count of its
    /// rows before this day, including rows retention has since deleted. A range's total is then the last row's
    /// running total less the first row's before its own count: two index seeks per account and code
    /// (<see cref="AccountErrorCode"/>), whatever the range's length. 0 on PostgreSQL, whose breakdown sums the range's rows.
    /// </summary>
    public long RunningCount { get; set; }
}

/// <summary>
/// Every account (the key; empty for unattributed events) and error code with a row in <c>DailyErrorCounts</c>: the
/// fleet-wide breakdown over days looks up each pair's running totals (SQLite). Added with the pair's first error and
/// never removed: the pairs are bounded by the accounts times the codes, and a pair with no day row in a range adds nothing.
/// </summary>
public sealed class AccountErrorCode
{
    public string AccountKey { get; set; } = "";
    public string ErrorCode { get; set; } = "";
}

/// <summary>
/// Error codes per UTC hour and account: the error breakdown over hours reads these, a fraction of the
/// hourly counters (no event type, no events without an error).
/// </summary>
public sealed class HourlyErrorCount
{
    public long Hour { get; set; }
    public string ErrorCode { get; set; } = "";
    public string AccountKey { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>Events with an error code per UTC day, fleet-wide: the long-range error totals read a row per day and code.</summary>
public sealed class DailyCodeTotal
{
    public long Day { get; set; }
    public string ErrorCode { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>
/// Events with an error code per UTC hour, fleet-wide: the error breakdown over hours reads its per-code totals and
/// series here, a row per hour and code, instead of summing every account's hourly error rows.
/// </summary>
public sealed class HourlyCodeTotal
{
    public long Hour { get; set; }
    public string ErrorCode { get; set; } = "";
    public long Count { get; set; }
}

public sealed class RejectedDeliveryCount
{
    public long Hour { get; set; }
    public string Reason { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>A person who signs in to the dashboard. The password is stored only as ASP.NET Core's hash.</summary>
public sealed class Operator
{
    public long Id { get; set; }
    public string UserName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    /// <summary><c>Viewer</c>, <c>Operator</c> or <c>Admin</c>.</summary>
    public string Role { get; set; } = "Viewer";
    public bool Disabled { get; set; }
    /// <summary>Changes when the password, role or status changes, so older sign-in cookies stop working.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
    public long CreatedAt { get; set; }
    public long? LastSignInAt { get; set; }
    public int FailedSignIns { get; set; }
    public long? LockedUntil { get; set; }
}

/// <summary>
/// One sign-in (one browser): its cookie names it, so signing out at the desk ends that sign-in only,
/// and it ends at <see cref="ExpiresAt"/> however active it stays. Times in Unix milliseconds.
/// </summary>
public sealed class SignInRecord
{
    /// <summary>Random, 128 bits, hex.</summary>
    public string Id { get; set; } = "";
    public long OperatorId { get; set; }
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }
}

/// <summary>What an alert says: it started, it still holds, it ended unanswered, it cleared; or a channel test.</summary>
public enum AlertMessageKind
{
    Firing,
    Reminder,
    Expired,
    Resolved,
    Test,
}

/// <summary>Where one message stands on one channel.</summary>
public enum AlertDeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>The channel is no longer configured: kept for the log, never sent.</summary>
    Abandoned,
}

/// <summary>
/// An alert condition (a PIN waiting, an account down, a spike): open until its condition clears
/// (<see cref="ResolvedAt"/>). Rules with no clear end are closed when raised and spaced by their cooldown.
/// </summary>
public sealed class AlertRecord
{
    public long Id { get; set; }
    public string Rule { get; set; } = "";
    public string? AccountId { get; set; }
    /// <summary>What the alert is about besides the account: the PIN request id, the error code, the rejection reason.</summary>
    public string? Subject { get; set; }
    public long OpenedAt { get; set; }
    public long LastRaisedAt { get; set; }
    public long? RemindedAt { get; set; }
    public long? ResolvedAt { get; set; }
    /// <summary>A number the summary quotes (a count), if any.</summary>
    public long? Count { get; set; }
}

/// <summary>One message of an alert, written in the transaction that raised it; the sender fans it out to the channels.</summary>
public sealed class AlertMessage
{
    public long Id { get; set; }
    public long AlertId { get; set; }
    public AlertMessageKind Kind { get; set; }
    public string Rule { get; set; } = "";
    public string? AccountId { get; set; }
    public string? Subject { get; set; }
    public long? Count { get; set; }
    public long At { get; set; }
    /// <summary>For a channel test: the one channel it goes to.</summary>
    public string? Channel { get; set; }
    /// <summary>When the message got its deliveries (null: not yet fanned out).</summary>
    public long? DispatchedAt { get; set; }
}

/// <summary>The outbox: one message on one channel, with its attempts.</summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public string Channel { get; set; } = "";
    /// <summary>The account the message is about ("" for none): deliveries keep their order per account and channel.</summary>
    public string AccountKey { get; set; } = "";
    public AlertDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public long CreatedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public long? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public long? DeliveredAt { get; set; }
}

/// <summary>Refused signature checks per minute, for the RejectedDeliveries rule's five-minute window.</summary>
public sealed class AlertRejectionCount
{
    public long Minute { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// Who runs a job that must run once among the instances on one database, until when (Unix ms). A holder
/// renews its row well before <see cref="ExpiresAt"/>; another instance takes the row only once it has expired.
/// </summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    /// <summary>The instance: machine, process id and a random part.</summary>
    public string Holder { get; set; } = "";
    public long ExpiresAt { get; set; }
}

/// <summary>Failed sign-ins of one user name (lower case) from one client address, and its lock (Unix ms), shared by every instance.</summary>
public sealed class SignInLockoutRecord
{
    public string UserName { get; set; } = "";
    public string Client { get; set; } = "";
    public int FailedSignIns { get; set; }
    public long? LockedUntil { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A fixed-window rate limit's current window (sign-in attempts per client, PIN submissions per operator), shared by every instance.</summary>
public sealed class RateLimitWindow
{
    /// <summary>The limit and who it counts, e.g. <c>sign-in:10.0.0.5</c>.</summary>
    public string Bucket { get; set; } = "";
    public long WindowStart { get; set; }
    public long Count { get; set; }
}
