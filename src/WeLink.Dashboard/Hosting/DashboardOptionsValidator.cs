using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Hosting;

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
