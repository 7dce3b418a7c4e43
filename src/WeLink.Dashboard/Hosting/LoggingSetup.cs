using Serilog;

namespace WeLink.Dashboard.Hosting;

public static class LoggingSetup
{
    /// <summary>Serilog from the <c>Serilog</c> section: console, rolling file, request logging.</summary>
    public static WebApplicationBuilder AddDashboardLogging(this WebApplicationBuilder builder)
    {
        // The file sink resolves a relative path against the working directory; anchor it at the
        // content root like the database file, so logs do not move with where the app was started.
        foreach (var sink in builder.Configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            var path = sink["Args:path"];
            if (!string.IsNullOrEmpty(path) && !Path.IsPathRooted(path))
                builder.Configuration[sink.Path + ":Args:path"] = Path.GetFullPath(path, builder.Environment.ContentRootPath);
        }

        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());
        return builder;
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
                    : Serilog.Events.LogEventLevel.Information;
        });
        return app;
    }
}
