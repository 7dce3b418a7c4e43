using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>
/// The real set-up: the dashboard on Kestrel with the emulator's fake We-Link as its API, and the
/// emulator posting its webhooks to one bare URL (no account or event hint).
/// </summary>
internal sealed class GatewayStack : IAsyncDisposable
{
    public const string ApiKey = "gateway-api-key-41d9";
    public const string ApiSecret = "gateway-api-secret-e07a";
    public const string WebhookSecret = "gateway-webhook-secret-9b3c";

    private readonly TestDirectory _dir = new();

    public DashboardApp App { get; private set; } = null!;
    public FakeWeLinkApi WeLink { get; private set; } = null!;
    public string Directory => _dir.Path;

    public static async Task<GatewayStack> StartAsync(double earlyWebhookRatio = 0.3, IDictionary<string, string?>? settings = null, int accounts = 5,
        IReadOnlyList<string>? unlisted = null, double dropWebhooks = 0)
    {
        var stack = new GatewayStack();
        var weLinkPort = FreePort.Next();
        var all = new Dictionary<string, string?>
        {
            ["WeLink:ApiBaseUrl"] = $"http://127.0.0.1:{weLinkPort}/",
            ["WeLink:ApiKey"] = ApiKey,
            ["WeLink:ApiSecret"] = ApiSecret,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        stack.App = DashboardApp.Start(stack._dir.Path, secret: WebhookSecret, settings: all);
        stack.WeLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = weLinkPort,
            ApiKey = ApiKey,
            ApiSecret = ApiSecret,
            WebhookUrl = new Uri(stack.App.BaseAddress, "/webhooks/welink"),
            WebhookSecret = WebhookSecret,
            Accounts = accounts,
            UnlistedAccounts = unlisted ?? [],
            AccountHintInUrl = false,
            OutcomeDelay = TimeSpan.FromMilliseconds(40),
            EarlyWebhookRatio = earlyWebhookRatio,
            DropWebhookShare = dropWebhooks,
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);
        return stack;
    }

    public Uri Gateway => new(App.BaseAddress, "/welink");

    public async ValueTask DisposeAsync()
    {
        await WeLink.DisposeAsync();
        App.Dispose();
        _dir.Dispose();
    }
}
