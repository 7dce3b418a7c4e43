using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace WeLink.Dashboard.Hosting;

/// <summary>The three access levels: each role includes the ones below it.</summary>
public static class AuthorizationPolicies
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    /// <summary>Signed in (or a token) with any role: what every page, <c>/api</c> route and the hub need at least.</summary>
    public static readonly AuthorizationPolicy ViewerPolicy = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser().RequireRole(Roles.Viewer, Roles.Operator, Roles.Admin).Build();

    /// <summary>
    /// The three policies; Viewer is also the default (<c>[Authorize]</c>) and the fallback: an
    /// endpoint that says nothing about authorization needs a signed-in viewer, not nobody.
    /// </summary>
    public static AuthorizationBuilder AddDashboardPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Viewer, ViewerPolicy)
        .AddPolicy(Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Admin))
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
        .SetDefaultPolicy(ViewerPolicy)
        .SetFallbackPolicy(ViewerPolicy);
}
