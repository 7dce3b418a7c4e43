using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// What a sign-in cookie holds (id, name, role, security stamp, the sign-in's record) and whether it
/// still holds: a cookie stops working when its operator is removed or disabled, its stamp changed
/// (new role or password), or its sign-in was ended (signed out) or outlived <c>Dashboard:SessionMaxLifetime</c>.
/// </summary>
public sealed class OperatorSessions(IDbContextFactory<DashboardDbContext> contexts, DashboardWriter writer, TimeProvider time)
{
    public const string SecurityStampClaim = "welink:stamp";
    public const string SignInClaim = "welink:signin";

    /// <summary>Raised after an operator or a sign-in changed here, so open hub connections are checked now rather than within the minute.</summary>
    public event Action? Changed;

    public void NotifyChanged() => Changed?.Invoke();

    public static ClaimsPrincipal CreatePrincipal(Operator op, string signInId) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, op.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, op.UserName),
            new Claim(ClaimTypes.Role, op.Role),
            new Claim(SecurityStampClaim, op.SecurityStamp),
            new Claim(SignInClaim, signInId),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>False when <paramref name="user"/> is an operator's cookie that no longer holds; true for anything else.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var identity = user.Identities.FirstOrDefault(i => i.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme);
        if (identity is null) return true;
        if (!long.TryParse(identity.FindFirst(ClaimTypes.NameIdentifier)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || identity.FindFirst(SecurityStampClaim)?.Value is not { } stamp
            // A cookie from before sign-ins had records cannot be ended by signing out: it is not accepted.
            || identity.FindFirst(SignInClaim)?.Value is not { } signIn)
            return false;

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await db.Operators.AsNoTracking().Where(o => o.Id == id)
            .Select(o => new
            {
                o.Disabled,
                o.SecurityStamp,
                Open = db.SignIns.Any(s => s.Id == signIn && s.OperatorId == id && s.ExpiresAt > now),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return current is { Disabled: false, Open: true } && current.SecurityStamp == stamp;
    }

    /// <summary>Ends the sign-in <paramref name="user"/>'s cookie names (sign-out); other sign-ins of the operator go on.</summary>
    public async Task EndAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var identity = user.Identities.FirstOrDefault(i => i.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme);
        if (identity?.FindFirst(SignInClaim)?.Value is not { } signIn) return;
        await writer.ExecuteAsync<bool>(new EndSignIn(signIn), cancellationToken);
        NotifyChanged();
    }

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>: signs out a cookie that no longer holds.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null) return;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<OperatorSessions>();
        if (await sessions.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
