using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>Where signing in and out happens.</summary>
public static class SignInRoutes
{
    /// <summary>The sign-in page (GET).</summary>
    public const string Page = "/signin";
    /// <summary>The sign-in form posts here; the cookie is set by this HTTP endpoint, not by a circuit.</summary>
    public const string Submit = "/auth/signin";
    public const string SignOut = "/auth/signout";
    public const string AccessDenied = "/access-denied";
    public const string Admin = "/admin/operators";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>The sign-in page, coming back to <paramref name="returnUrl"/> afterwards.</summary>
    public static string PageFor(string? returnUrl, string? error = null)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (LocalReturnUrl(returnUrl) is { } local && local != "/") query.Add(new(ReturnUrlParameter, local));
        if (!string.IsNullOrEmpty(error)) query.Add(new("error", error));
        return Page + QueryString.Create(query);
    }

    /// <summary><paramref name="returnUrl"/> when it stays on this site (a path, not <c>//host</c> or <c>/\host</c>), else null.</summary>
    public static string? LocalReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/') return null;
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\')) return null;
        if (returnUrl.Any(char.IsControl)) return null;
        // Back to the sign-in page or its endpoints would only loop.
        if (returnUrl.StartsWith(Page, StringComparison.OrdinalIgnoreCase) || returnUrl.StartsWith("/auth/", StringComparison.OrdinalIgnoreCase)) return "/";
        return returnUrl;
    }
}

public static class SignInEndpoints
{
    public const string SignInRateLimitPolicy = "sign-in";

    public static RouteGroupBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Sign-in").AllowAnonymous().ExcludeFromDescription();
        auth.MapPost("/signin", SignInAsync).WithName("SignIn").RequireRateLimiting(SignInRateLimitPolicy);
        auth.MapPost("/signout", SignOutAsync).WithName("SignOut");
        return auth;
    }

    /// <summary>The form's fields (the page's form and browser tests use these names).</summary>
    public const string UserNameField = "UserName", PasswordField = "Password", ReturnUrlField = "ReturnUrl";

    private static async Task<IResult> SignInAsync(
        [FromForm(Name = UserNameField)] string? userName,
        [FromForm(Name = PasswordField)] string? password,
        [FromForm(Name = ReturnUrlField)] string? returnUrl,
        OperatorSignIn signIn,
        HttpContext http)
    {
        var outcome = await signIn.SignInAsync(userName, password, http.RequestAborted);
        if (outcome.Status != SignInStatus.SignedIn)
        {
            var error = outcome.Status switch
            {
                SignInStatus.LockedOut => "locked",
                SignInStatus.Disabled => "disabled",
                SignInStatus.Unavailable => "unavailable",
                _ => "invalid",
            };
            return TypedResults.Redirect(SignInRoutes.PageFor(returnUrl, error));
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, outcome.Principal!, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Redirect(SignInRoutes.LocalReturnUrl(returnUrl) ?? "/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, ILogger<OperatorSignIn> logger)
    {
        if (http.User.Identity?.IsAuthenticated == true) logger.LogInformation("{UserName} signed out", http.User.Identity.Name);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect(SignInRoutes.Page);
    }

    /// <summary>Sign-in attempts per client address and minute; beyond that the page says "try later".</summary>
    internal sealed class RateLimitPolicy(IOptions<DashboardOptions> options) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
        {
            context.HttpContext.Response.Redirect(SignInRoutes.PageFor(null, "throttled"));
            return ValueTask.CompletedTask;
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
            RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.SignInAttemptsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
    }
}
