using Microsoft.Extensions.Options;

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

public sealed class ApiToken
{
    public const int MinLength = 16;

    public string Name { get; set; } = "";

    public string Token { get; set; } = "";

    /// <summary><c>Viewer</c>, <c>Operator</c> or <c>Admin</c>.</summary>
    public string Role { get; set; } = Roles.Viewer;
}

public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static string? Normalize(string? role) => All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Checks the section at start. Messages name the key and never echo a token or password.
/// (Data annotations do not reach into list items, hence a validator.)
/// </summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (Features.Operators.OperatorCredentials.CheckUserName(options.AdminUser) is { } userError)
            failures.Add($"Dashboard:AdminUser: {userError}");
        if (!string.IsNullOrEmpty(options.AdminPassword) && Features.Operators.OperatorCredentials.CheckPassword(options.AdminPassword) is { } passwordError)
            failures.Add($"Dashboard:AdminPassword: {passwordError}");
        for (var i = 0; i < options.ApiTokens.Count; i++)
        {
            var token = options.ApiTokens[i];
            if (string.IsNullOrWhiteSpace(token.Name)) failures.Add($"Dashboard:ApiTokens:{i}:Name is required.");
            if (token.Token.Length < ApiToken.MinLength) failures.Add($"Dashboard:ApiTokens:{i}:Token must have at least {ApiToken.MinLength} characters.");
            if (Roles.Normalize(token.Role) is null) failures.Add($"Dashboard:ApiTokens:{i}:Role must be one of {string.Join(", ", Roles.All)}.");
            if (options.ApiTokens.Take(i).Any(t => t.Token == token.Token && token.Token.Length > 0))
                failures.Add($"Dashboard:ApiTokens:{i}:Token repeats an earlier token.");
        }
        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(1)) failures.Add("Dashboard:SessionIdleTimeout must be at least one minute.");
        if (options.LockoutThreshold < 1) failures.Add("Dashboard:LockoutThreshold must be at least 1.");
        if (options.LockoutDuration <= TimeSpan.Zero) failures.Add("Dashboard:LockoutDuration must be positive.");
        if (options.SignInAttemptsPerMinute < 1) failures.Add("Dashboard:SignInAttemptsPerMinute must be at least 1.");
        if (options.PinSubmissionsPerMinute < 1) failures.Add("Dashboard:PinSubmissionsPerMinute must be at least 1.");
        if (options.SessionMaxLifetime < TimeSpan.FromMinutes(1)) failures.Add("Dashboard:SessionMaxLifetime must be at least one minute.");
        if (!string.IsNullOrWhiteSpace(options.PublicUrl) && DashboardOptions.OriginOf(options.PublicUrl) is null)
            failures.Add("Dashboard:PublicUrl must be an absolute http or https URL.");
        for (var i = 0; i < options.TrustedProxies.Count; i++)
            if (!ForwardedHeadersSetup.TryParseProxy(options.TrustedProxies[i], out _, out _))
                failures.Add($"Dashboard:TrustedProxies:{i} must be an IP address or a network such as 10.0.0.0/8.");
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
            if (DashboardOptions.OriginOf(options.AllowedOrigins[i]) is null)
                failures.Add($"Dashboard:AllowedOrigins:{i} must be an origin such as https://dashboard.example.com.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
