namespace WeLink.Dashboard.Features.Alerts;

/// <summary>Alerts: rules raised in the writer's transactions, the outbox sender, the timers, the page and <c>GET /api/alerts</c>.</summary>
public static class AlertsSetup
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        // Bound once (in AddAlertServices): binding a section twice appends its lists twice.
        builder.Services.AddAlertServices();
        builder.Services.AddOptions<AlertOptions>().ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AlertSignal>();
        builder.Services.AddSingleton<AlertTransport>();
        builder.Services.AddHttpClient(AlertTransport.HttpClientName)
            // The request URI of an incoming webhook is its credential: no HttpClient log line may carry it.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        builder.Services.AddHostedService<AlertSender>();
        builder.Services.AddHostedService<AlertTimer>();
        return builder;
    }

    /// <summary>What the Alerts page needs.</summary>
    public static IServiceCollection AddAlertServices(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.AddSingleton<AlertQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapAlertsApi();
        return app;
    }
}
