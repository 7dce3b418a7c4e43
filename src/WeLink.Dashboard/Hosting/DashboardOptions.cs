namespace WeLink.Dashboard.Hosting;

/// <summary>The <c>Dashboard</c> section: the first operator, API tokens, sessions and abuse limits.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The first operator's name, created when no operator exists.</summary>
    public string AdminUser { get; set; } = "admin";

    /// <summary>The first operator's password; when empty a strong one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Bearer tokens for scripts and monitors.</summary>
    public List<ApiToken> ApiTokens { get; set; } = [];

    /// <summary>A sign-in ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Consecutive failed sign-ins that lock an operator out.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>How long a lock-out lasts.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts accepted per client address and minute; more answer "try later".</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>PIN submissions accepted per operator (or token) and minute, page and API together.</summary>
    public int PinSubmissionsPerMinute { get; set; } = 10;

    /// <summary>A sign-in ends this long after it began, however active (server-side, checked on every request).</summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The dashboard's external URL (e.g. <c>https://dashboard.example.com</c>): links in alerts, and an origin the hub accepts.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Reverse proxies (addresses such as <c>10.0.0.5</c> or networks such as <c>10.0.0.0/8</c>) whose
    /// <c>X-Forwarded-For/-Proto/-Host</c> headers are believed. Empty: no forwarded header is believed.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Origins (<c>https://host[:port]</c>) allowed to open the hub besides the request's own and <see cref="PublicUrl"/>.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>The origin (scheme://host[:port]) of an absolute http(s) URL, lower-case; null when <paramref name="url"/> is not one.</summary>
    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
}
