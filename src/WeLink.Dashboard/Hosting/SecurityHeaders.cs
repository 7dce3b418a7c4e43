namespace WeLink.Dashboard.Hosting;

/// <summary>
/// Headers on every answer: a CSP that Blazor Server and MudBlazor work under (no inline or eval'd
/// script; inline styles because MudBlazor sets them; WebSockets only to the page's own origin), no
/// sniffing, no framing, no referrer; and no caching of <c>/api</c> answers (exports included), which carry fleet data.
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>The policy for a page served at <paramref name="webSocketOrigin"/> (<c>ws://host:port</c> or <c>wss://host</c>; null: 'self' only).</summary>
    public static string ContentSecurityPolicyFor(string? webSocketOrigin) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        $"connect-src 'self'{(webSocketOrigin is null ? "" : " " + webSocketOrigin)}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>The WebSocket origin of the request (after forwarded headers): older browsers do not count it as 'self'.</summary>
    public static string? WebSocketOrigin(HttpRequest request) =>
        request.Host.HasValue && SafeHost().IsMatch(request.Host.Value!) ? (request.IsHttps ? "wss://" : "ws://") + request.Host.Value!.ToLowerInvariant() : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")]
    private static partial System.Text.RegularExpressions.Regex SafeHost();

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // On starting, not now: the exception handler clears headers before it renders the error page.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicyFor(WebSocketOrigin(http.Request));
            if (http.Request.Path.StartsWithSegments(Features.DashboardApi.Prefix)) headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
