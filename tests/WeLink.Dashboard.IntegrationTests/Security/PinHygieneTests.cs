using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeLink.Dashboard.Live;
using WeLink.Emulator.FakeApi;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>
/// The whole PIN loop against the emulator (login → PIN_REQUIRED webhook → PIN through /api →
/// We-Link's login_code → LOGIN_SUCCESS webhook), then the SQLite file, its WAL and every log file
/// are searched for the PIN and the secrets. (The browser version belongs to the browser tests.)
/// Runs alone: the log file must be written, and another test's app shutting down in parallel can
/// close the process-wide Serilog logger this app writes through.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class PinHygieneTests : IAsyncLifetime
{
    // The longest PIN there is: six digits turn up by chance among the logs' seven-digit timestamp fractions,
    // fifteen-digit durations and hex trace ids (once in a few dozen runs), eight almost never.
    private const string Pin = "91827364";
    private const string WebhookSecret = "hygiene-webhook-secret-5f1c";
    private const string ApiKey = "hygiene-api-key-7a2e";
    private const string ApiSecret = "hygiene-api-secret-c93b";

    private readonly TestDirectory _dir = new();
    private DashboardApp _app = null!;
    private FakeWeLinkApi _weLink = null!;

    public async Task InitializeAsync()
    {
        // Each side needs the other's address at start: reserve the emulator's port first.
        var weLinkPort = FreePort.Next();
        _app = DashboardApp.Start(_dir.Path, secret: WebhookSecret, settings: new Dictionary<string, string?>
        {
            ["WeLink:ApiBaseUrl"] = $"http://127.0.0.1:{weLinkPort}/",
            ["WeLink:ApiKey"] = ApiKey,
            ["WeLink:ApiSecret"] = ApiSecret,
            // The most detailed logs the dashboard can write: a PIN must not show up even there.
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
        });
        _weLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = weLinkPort,
            ApiKey = ApiKey,
            ApiSecret = ApiSecret,
            WebhookUrl = new Uri(_app.BaseAddress, "/webhooks/welink"),
            WebhookSecret = WebhookSecret,
            Accounts = 2,
            OutcomeDelay = TimeSpan.FromMilliseconds(20),
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _weLink.DisposeAsync();
        _app.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task SubmittedPin_IsInNoDatabaseOrLogFile()
    {
        var feed = _app.Services.GetRequiredService<LiveFeed>();
        var events = Channel.CreateUnbounded<EventSummary>();
        using var subscription = feed.Subscribe(change =>
        {
            if (change is { Kind: LiveChangeKind.EventReceived, Event: { } summary }) events.Writer.TryWrite(summary);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // We-Link starts a login and asks for a PIN by webhook.
        var account = _weLink.Accounts[0];
        using var weLinkClient = new HttpClient { BaseAddress = _weLink.BaseAddress };
        weLinkClient.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        weLinkClient.DefaultRequestHeaders.Add("x-api-secret", ApiSecret);
        var login = await weLinkClient.PostAsJsonAsync("api/v1/login_v2", new { email = account.Email, password = "account-password" });
        login.EnsureSuccessStatusCode();
        var requestId = (await login.Content.ReadFromJsonAsync<LoginStarted>())!.request_id;
        await WaitForEventAsync(events, e => e.RequestId == requestId && e.EventType == EventTypes.LoginPinRequired, timeout.Token);

        // An operator submits the PIN; We-Link gets it and reports the login's outcome.
        using var operatorClient = _app.CreateHttpClient(DashboardApp.OperatorToken);
        var submitted = await operatorClient.PostAsJsonAsync($"/api/pins/{requestId}", new { code = Pin });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var call = await _weLink.WaitForLoginCodeAsync(c => c.RequestId == requestId, TimeSpan.FromSeconds(15));
        Assert.Equal(Pin, call.Code);
        await WaitForEventAsync(events, e => e.RequestId == requestId && e.EventType == EventTypes.LoginSuccess, timeout.Token);

        // What is recorded: who, when, for which request, the outcome.
        Assert.Equal("token:tests-operator", _app.Scalar<string>($"SELECT SubmittedBy FROM PinSubmissions WHERE RequestId = '{requestId}'"));
        Assert.Equal("Succeeded", _app.Scalar<string>($"SELECT Status FROM PinRequests WHERE RequestId = '{requestId}'"));

        // Malformed ones the dashboard refuses itself: not digits, and a number where text belongs
        // (the JSON binding failure is logged at Debug; its message must not carry the value).
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.PostAsJsonAsync($"/api/pins/{requestId}", new { code = "91827x3" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.PostAsync($"/api/pins/{requestId}",
            new StringContent("{\"code\": 56473829}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        var files = Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).ToList();
        // On PostgreSQL the store is not a file here: the files searched are the logs and keys.
        if (!_app.OnPostgreSql) Assert.Contains(files, f => f.EndsWith("dashboard.db", StringComparison.Ordinal));
        Assert.True(files.Any(f => f.EndsWith(".log", StringComparison.Ordinal)), "no log file among " + string.Join(", ", files));
        foreach (var secret in new[] { Pin, "91827x3", "56473829", WebhookSecret, ApiKey, ApiSecret, DashboardApp.AdminPassword,
                     DashboardApp.AdminToken, DashboardApp.OperatorToken, DashboardApp.ViewerToken })
        {
            FileSearch.AssertNowhere(_dir.Path, secret);
            Assert.Empty(TestStore.TablesContaining(_app.DatabasePath, secret));
        }
        // The search itself works: the request id is there (in the file, or in PostgreSQL's tables).
        Assert.NotEmpty(_app.OnPostgreSql ? TestStore.TablesContaining(_app.DatabasePath, requestId) : FileSearch.FilesContaining(_dir.Path, requestId));
    }

    private static async Task WaitForEventAsync(Channel<EventSummary> events, Func<EventSummary, bool> match, CancellationToken cancellationToken)
    {
        while (!match(await events.Reader.ReadAsync(cancellationToken)))
        {
        }
    }


#pragma warning disable IDE1006 // We-Link's field name
    private sealed record LoginStarted(string status, string request_id);
#pragma warning restore IDE1006
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Security tests that run alone";
}
