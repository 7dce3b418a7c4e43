using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WeLink.Emulator.FakeApi;

namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// <c>--demo</c>: the dashboard on its own database, fed by the emulator's fake We-Link API and
/// traffic generator running in the same process. Without the switch nothing here is registered.
/// </summary>
public static class DemoSetup
{
    /// <summary>Relative to the content root, in its own folder so its sign-in keys stay apart from the real ones.</summary>
    public const string DatabaseFile = "data/demo/welink-demo.db";

    /// <summary>About how long the fake We-Link takes to carry out an action (real ones take seconds to minutes).</summary>
    private static readonly TimeSpan OutcomeDelay = TimeSpan.FromSeconds(1.5);

    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder, string[] args)
    {
        if (!DemoSwitch.IsOn(args)) return builder;

        // The fake API's fleet must exist before the app is built, so its size is read here, checked like the rest.
        var settings = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var problems = settings.Validate().ToList();
        if (problems.Count > 0) throw new OptionsValidationException(DemoOptions.Section, typeof(DemoOptions), problems);

        // Made up per run: nothing outside this process knows them, and nothing real can be reached with them.
        var apiKey = NewSecret();
        var apiSecret = NewSecret();
        var webhookSecret = NewSecret();
        var logs = new DemoLogForwarder();
        DemoSession? session = null;
        var api = FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = 0,
            ApiKey = apiKey,
            ApiSecret = apiSecret,
            // Known once the dashboard listens; no URL hints: attribution comes from the requests the gateway records.
            WebhookUrlSource = () => session?.WebhookTarget,
            AccountHintInUrl = false,
            WebhookSecret = webhookSecret,
            Accounts = settings.Accounts,
            OutcomeDelay = OutcomeDelay,
            EarlyWebhookRatio = 0.1,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
            },
        }, CancellationToken.None).GetAwaiter().GetResult();
        var demo = new DemoSession(api, apiKey, apiSecret, webhookSecret, Path.GetFullPath(DatabaseFile, builder.Environment.ContentRootPath));
        session = demo;

        // Added last, so it wins over appsettings, environment variables and the command line:
        // whatever else is configured, the demo never opens the real database or calls the real We-Link.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + Data.DatabaseSetup.ConnectionStringName] = "Data Source=" + DatabaseFile,
            ["WeLink:ApiBaseUrl"] = api.BaseAddress.ToString(),
            ["WeLink:ApiKey"] = apiKey,
            ["WeLink:ApiSecret"] = apiSecret,
            ["WeLink:WebhookSecret"] = webhookSecret,
        });

        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => !o.Validate().Any(), "Demo settings are out of range (see appsettings.example.json).").ValidateOnStart();
        builder.Services.AddSingleton(logs);
        // A factory, so the container disposes the session (and stops the fake API) with the app.
        builder.Services.AddSingleton(sp =>
        {
            logs.Attach(sp.GetRequiredService<ILoggerFactory>());
            return demo;
        });
        builder.Services.AddHostedService<DemoTraffic>();
        return builder;
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
