using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public static class SignInEndpoints
{
    public static RouteGroupBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Sign-in").AllowAnonymous().ExcludeFromDescription();
        auth.MapPost("/signin", SignInAsync).WithName("SignIn");
        auth.MapPost("/signout", SignOutAsync).WithName("SignOut").DisableAntiforgery();
        return auth;
    }

    /// <summary>The form's fields (the page's form and browser tests use these names).</summary>
    public const string UserNameField = "UserName", PasswordField = "Password", ReturnUrlField = "ReturnUrl";

    private static async Task<IResult> SignInAsync(
        [FromForm(Name = UserNameField)] string? userName,
        [FromForm(Name = PasswordField)] string? password,
        [FromForm(Name = ReturnUrlField)] string? returnUrl,
        OperatorSignIn signIn,
        Limits.RateLimitWindows limits,
        IOptions<DashboardOptions> options,
        HttpContext http)
    {
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // Attempts per client address and minute, counted in the database so they hold across instances.
        try
        {
            if (!(await limits.TakeAsync(SignInBucket(client), options.Value.SignInAttemptsPerMinute, SignInWindow, http.RequestAborted)).Allowed)
                return TypedResults.Redirect(SignInRoutes.PageFor(null, "throttled"));
        }
        catch (Data.DatabaseUnavailableException)
        {
            return TypedResults.Redirect(SignInRoutes.PageFor(returnUrl, "unavailable"));
        }
        var outcome = await signIn.SignInAsync(userName, password, client, http.RequestAborted);
        if (outcome.Status != SignInStatus.SignedIn)
        {
            var error = outcome.Status switch
            {
                SignInStatus.Disabled => "disabled",
                SignInStatus.Unavailable => "unavailable",
                _ => "invalid",
            };
            return TypedResults.Redirect(SignInRoutes.PageFor(returnUrl, error));
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, outcome.Principal!, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Redirect(SignInRoutes.LocalReturnUrl(returnUrl) ?? "/");
    }

    /// <summary>
    /// Ends this sign-in on the server too (a saved copy of the cookie stops working; the operator's
    /// other sign-ins go on). Needs the page's anti-forgery token, so another site cannot sign people out.
    /// </summary>
    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, OperatorSessions sessions, ILogger<OperatorSignIn> logger)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return TypedResults.BadRequest();
        if (http.User.Identity?.IsAuthenticated == true)
        {
            logger.LogInformation("{UserName} signed out", http.User.Identity.Name);
            try
            {
                await sessions.EndAsync(http.User, http.RequestAborted);
            }
            catch (Data.DatabaseUnavailableException)
            {
                // The cookie is still cleared below; the record runs out at its absolute lifetime.
                logger.LogWarning("A sign-out could not be recorded: the database is unavailable");
            }
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect(SignInRoutes.Page);
    }

    /// <summary>Sign-in attempts per client address and minute; beyond that the page says "try later".</summary>
    public static readonly TimeSpan SignInWindow = TimeSpan.FromMinutes(1);

    internal static string SignInBucket(string client) => "sign-in:" + client;
}
