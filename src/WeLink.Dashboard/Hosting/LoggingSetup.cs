using Serilog;

namespace WeLink.Dashboard.Hosting;

public static class LoggingSetup
{
    /// <summary>Serilog from the <c>Serilog</c> section: console, rolling file, request logging.</summary>
    public static WebApplicationBuilder AddDashboardLogging(this WebApplicationBuilder builder)
    {
        // First, before the log file or the database exists: both are created readable by this user only.
        FilePermissions.RestrictNewFiles();
        // preserveStaticLogger: several hosts in one process (tests, tools) must not close each other's logger.
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, logger) =>
        {
            var configuration = AnchorFilePaths(services.GetRequiredService<IConfiguration>(), builder.Environment.ContentRootPath);
            var database = services.GetRequiredService<Data.DashboardDatabase>();
            // On PostgreSQL there is no database file here to tighten, only the logs.
            FilePermissions.RestrictExisting(
                database.Provider == Data.DatabaseProvider.Sqlite ? database.ConnectionString : "", ExistingLogFiles(configuration));
            logger.ReadFrom.Configuration(configuration).ReadFrom.Services(services).Enrich.FromLogContext();
        });
        return builder;
    }

    /// <summary>
    /// The file sink resolves a relative path against the working directory; anchor it at the
    /// content root like the database file, so logs do not move with where the app was started.
    /// </summary>
    private static IConfiguration AnchorFilePaths(IConfiguration configuration, string contentRoot)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            var path = sink["Args:path"];
            if (!string.IsNullOrEmpty(path) && !Path.IsPathRooted(path))
                overrides[sink.Path + ":Args:path"] = Path.GetFullPath(path, contentRoot);
        }
        return overrides.Count == 0
            ? configuration
            : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
    }

    private static IEnumerable<string> ExistingLogFiles(IConfiguration configuration)
    {
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            if (sink["Args:path"] is not { Length: > 0 } path || Path.GetDirectoryName(path) is not { } folder || !Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder)) yield return file;
        }
    }

    public static WebApplication UseDashboardRequestLogging(this WebApplication app)
    {
        // Logs the path only, never the query string or headers (they may carry tokens).
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
            o.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments("/_framework")
                    ? Serilog.Events.LogEventLevel.Verbose
                // Accepted webhooks are in the event log already; a line each would flood the log at 1,000 a second.
                : context.Response.StatusCode < 400 && (context.Request.Path.StartsWithSegments("/webhooks") || context.Request.Path.StartsWithSegments("/bench"))
                    ? Serilog.Events.LogEventLevel.Debug
                    : Serilog.Events.LogEventLevel.Information;
        });
        return app;
    }
}
