using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Hosting;

/// <summary>
/// Who may do what. Every page, <c>/api</c> and the hub need a signed-in operator (cookie) or a
/// bearer token; open are only <c>/webhooks/welink</c> (HMAC), <c>/healthz</c>, the sign-in page
/// and endpoints, and static files.
/// </summary>
public static class SecuritySetup
{
    /// <summary>Picks the bearer-token scheme when a token is presented, else the cookie.</summary>
    public const string Scheme = "Dashboard";

    public const string CookieName = "welink.session";

    public static WebApplicationBuilder AddDashboardSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();

        AddKeysBesideDatabase(services);
        services.AddTrustedProxies();

        // The factory's own loggers put request headers (We-Link's x-api-key and x-api-secret) into
        // the structured log event even where the message masks them; a Verbose log level would then
        // write the credentials to the log file. Log method, address, status and time only.
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers().AddLogger<HeaderFreeHttpClientLogger>());
        services.AddSingleton<HeaderFreeHttpClientLogger>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.PresentedToken(context.Request) is null
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : ApiTokenAuthenticationHandler.SchemeName)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.LoginPath = SignInRoutes.Page;
                o.AccessDeniedPath = SignInRoutes.AccessDenied;
                o.ReturnUrlParameter = SignInRoutes.ReturnUrlParameter;
                o.Events.OnValidatePrincipal = OperatorSessions.ValidateCookieAsync;
                // Scripts and SignalR clients get a status code, people get the sign-in page.
                o.Events.OnRedirectToLogin = context => AnswerOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => AnswerOrRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionIdleTimeout);

        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddCascadingAuthenticationState();
        // Registered before AddRazorComponents, whose default provider is only a fallback (TryAdd).
        services.AddScoped<AuthenticationStateProvider, OperatorAuthenticationStateProvider>();
        return builder;
    }

    /// <summary>Security headers, HSTS outside Development, and who the caller is. Before the UI's middleware.</summary>
    public static WebApplication UseDashboardSecurity(this WebApplication app)
    {
        // First: everything after (HSTS, Secure cookies, rate limits, the hub's origin check) sees the real client.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseAuthentication();
        return app;
    }

    /// <summary>
    /// What the caller may do, and rate limits. After the UI's middleware, so our static files are
    /// served before any sign-in is asked for.
    /// </summary>
    public static WebApplication UseDashboardAuthorization(this WebApplication app)
    {
        // Framework and MudBlazor files (MapStaticAssets) are endpoints like any other and would fall
        // under the fallback policy: serve them here, as .ShortCircuit() would, so the sign-in page has its styles.
        app.Use((context, next) =>
            context.GetEndpoint() is { RequestDelegate: { } serve } endpoint && endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
                ? serve(context)
                : next(context));
        app.UseAuthorization();
        return app;
    }

    private static Task AnswerOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        // Only a page a browser navigates to (GET/HEAD) goes to the sign-in page; anything else gets
        // its status, so a PUT cannot bounce between redirects.
        if (path.StartsWithSegments(Features.DashboardApi.Prefix) || path.StartsWithSegments(ApiTokenAuthenticationHandler.HubPathPrefix)
            || path.StartsWithSegments("/_blazor") || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(RelativeRedirect(context.RedirectUri));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The cookie handler builds its redirect from the request's Host header; a Location relative to
    /// this site never sends a browser to whatever host a request claimed.
    /// </summary>
    internal static string RelativeRedirect(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : redirectUri;

    /// <summary>
    /// Data-protection keys (they encrypt the sign-in cookie and anti-forgery tokens) in a <c>keys</c>
    /// folder beside the SQLite file, so sign-ins survive a restart; with <c>Redis:Configuration</c> set,
    /// in Redis instead, so a cookie one instance issued is valid on the others (what
    /// <c>PersistKeysToStackExchangeRedis</c> does). Resolved when first needed, like the database.
    /// </summary>
    private static void AddKeysBesideDatabase(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("WeLink.Dashboard");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var redis = sp.GetRequiredService<RedisConnection>();
            o.XmlRepository = redis.Enabled
                ? new RedisXmlRepository(() => redis.Multiplexer!.GetDatabase(), RedisSetup.DataProtectionKey(redis))
                : new FileSystemXmlRepository(
                    new DirectoryInfo(KeysDirectory(sp.GetRequiredService<DashboardDatabase>(), sp.GetRequiredService<IHostEnvironment>())),
                    sp.GetRequiredService<ILoggerFactory>());
        }));
    }

    internal static string KeysDirectory(DashboardDatabase database, IHostEnvironment environment)
    {
        // PostgreSQL has no file to sit beside: the keys go to the content root's data folder.
        var file = database.Provider == DatabaseProvider.Sqlite ? database.FilePath() : "";
        var folder = Path.IsPathRooted(file) ? Path.GetDirectoryName(file) : null;
        return Path.Combine(folder ?? Path.Combine(environment.ContentRootPath, "data"), "keys");
    }
}
