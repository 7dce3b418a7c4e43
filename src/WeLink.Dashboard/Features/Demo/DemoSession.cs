using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Traffic;

namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// One demo run: the in-process fake We-Link API, the credentials made up for it, the simulated
/// fleet, and where the demo's webhooks go once the dashboard listens. Registered only with <c>--demo</c>.
/// </summary>
public sealed class DemoSession : IAsyncDisposable
{
    private readonly FakeWeLinkApi _api;
    private volatile Uri? _webhookTarget;

    internal DemoSession(FakeWeLinkApi api, string apiKey, string apiSecret, string webhookSecret, string databasePath)
    {
        _api = api;
        ApiKey = apiKey;
        ApiSecret = apiSecret;
        WebhookSecret = webhookSecret;
        DatabasePath = databasePath;
    }

    /// <summary>The demo database file (absolute), shown on every page.</summary>
    public string DatabasePath { get; }

    /// <summary>The fake We-Link REST API, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri FakeApiAddress => _api.BaseAddress;

    public IReadOnlyList<FleetAccount> Accounts => _api.Accounts;

    /// <summary>The dashboard's own webhook URL; null until the dashboard listens.</summary>
    public Uri? WebhookTarget => _webhookTarget;

    internal FakeWeLinkApi Api => _api;
    internal string ApiKey { get; }
    internal string ApiSecret { get; }
    internal string WebhookSecret { get; }

    internal void SetWebhookTarget(Uri target) => _webhookTarget = target;

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
