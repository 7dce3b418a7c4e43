namespace WeLink.Dashboard.Features.Retention;

public static class RetentionSetup
{
    /// <summary>The background job that enforces <c>Ingest:RetentionDays</c>.</summary>
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EventRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventRetention>());
        return builder;
    }
}
