using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// Re-checks an open Blazor circuit's operator every minute, so disabling or re-roling someone
/// also reaches pages that stay open (a circuit does not send the cookie again).
/// </summary>
public sealed class OperatorAuthenticationStateProvider(ILoggerFactory loggerFactory, OperatorSessions sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        sessions.IsCurrentAsync(authenticationState.User, cancellationToken);
}
