namespace WeLink.Dashboard.Features.Jobs;

/// <summary>The leases' names: one per job that must run on one instance at a time.</summary>
public static class JobNames
{
    public const string PinExpiry = "pin-expiry";
    public const string Retention = "retention";
    public const string AccountSync = "account-sync";
    public const string SessionHeartbeat = "session-heartbeat";
    public const string RequestTracking = "request-tracking";
    public const string AlertSender = "alert-sender";
    public const string AlertTimers = "alert-timers";
    public const string PendingLogins = "pending-logins";
    public const string LimitCleanup = "limit-cleanup";
}
