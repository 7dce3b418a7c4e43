using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Hosting;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> for scripts and monitors, tokens from
/// <c>Dashboard:ApiTokens</c>. SignalR clients that cannot set headers may send <c>access_token</c>
/// in the query string of the hub's URL.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<DashboardOptions> dashboard) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string HubPathPrefix = "/hubs";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedToken(Request);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        var presentedBytes = Encoding.UTF8.GetBytes(presented);
        ApiToken? match = null;
        foreach (var token in dashboard.CurrentValue.ApiTokens)
        {
            // Every configured token is compared, in constant time, whichever matches.
            if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(presentedBytes), SHA256.HashData(Encoding.UTF8.GetBytes(token.Token)))
                && token.Token.Length > 0)
                match = token;
        }
        if (match is null || Roles.Normalize(match.Role) is not { } role)
        {
            Logger.LogWarning("A request to {Path} presented an unknown API token", Request.Path);
            return Task.FromResult(AuthenticateResult.Fail("Unknown API token."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "token:" + match.Name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>The token in <c>Authorization: Bearer</c>, or in <c>access_token</c> on the hub's URL; null when none.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments(HubPathPrefix) && request.Query["access_token"].ToString() is { Length: > 0 } query) return query;
        return null;
    }
}
