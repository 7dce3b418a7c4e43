using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.IntegrationTests.Security;
using WeLink.Dashboard.Live;
using WeLink.Emulator.FakeApi;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Live;

/// <summary>
/// Two instances behind one URL: two dashboards on one PostgreSQL database (the private cluster of
/// ./run-tests.sh) and one Redis (its private server), each test with a Redis prefix of its own.
/// Provider=PostgreSql: they choose their database themselves, so the PostgreSQL pass does not run them again.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class TwoInstancesTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private const string RedisPassword = "redis-test-secret-4711";

    private readonly PostgresTestDatabase _database = new();
    private readonly RedisTestServer _redis = new();
    private readonly List<IDisposable> _apps = [];

    public void Dispose()
    {
        foreach (var app in Enumerable.Reverse(_apps)) app.Dispose();
        _database.Dispose();
    }

    private DashboardApp Start(IDictionary<string, string?> settings)
    {
        var app = DashboardApp.StartInTempDirectory(settings: settings);
        _apps.Add(app);
        return app;
    }

    /// <summary>Every change an instance's live feed delivers, in order.</summary>
    private ConcurrentQueue<LiveChange> Watch(DashboardApp app)
    {
        var seen = new ConcurrentQueue<LiveChange>();
        _apps.Add(app.Services.GetRequiredService<LiveFeed>().Subscribe(seen.Enqueue));
        return seen;
    }

    private static string Event(string requestId) => $$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}""";

    private static async Task PostAsync(DashboardApp app, string requestId)
    {
        var response = await app.PostSignedWebhookAsync(Event(requestId), "/webhooks/welink?account=acc-two");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task WaitAsync(Func<bool> condition, string what) =>
        Poll.UntilAsync(() => Task.FromResult(condition()), held => held, Limit, what);

    [Fact]
    public async Task Hub_EventPostedToEitherInstance_ReachesAClientOnAExactlyOnce()
    {
        var a = Start(_redis.DashboardSettings(_database));
        var b = Start(_redis.DashboardSettings(_database));
        var feedA = Watch(a);
        var feedB = Watch(b);
        var received = new ConcurrentQueue<string>();
        await using var client = a.CreateHubConnection(EventsHub.Route);
        client.On<EventSummary>(EventsHub.EventReceived, summary => received.Enqueue(summary.RequestId ?? ""));
        await client.StartAsync();
        int Count(string requestId) => received.Count(r => r == requestId);

        await PostAsync(b, "two-hub-on-b");
        await WaitAsync(() => Count("two-hub-on-b") >= 1, "the event posted to B on A's hub");
        // A's page-facing feed has it too, marked as B's, so A's broadcaster has had its chance to send it again.
        await WaitAsync(() => feedA.Any(c => c is { Remote: true, Event.RequestId: "two-hub-on-b" }), "B's event on A's live feed");
        await PostAsync(a, "two-hub-on-a");
        await WaitAsync(() => Count("two-hub-on-a") >= 1, "the event posted to A on A's hub");
        await WaitAsync(() => feedB.Any(c => c is { Remote: true, Event.RequestId: "two-hub-on-a" }), "A's event on B's live feed");

        // Fences: each instance's feed, broadcaster and Redis connection keep order, so a second copy of
        // either event, from either instance, would reach the client before the fence posted there after it.
        await PostAsync(a, "two-hub-fence-a");
        await PostAsync(b, "two-hub-fence-b");
        await WaitAsync(() => Count("two-hub-fence-a") >= 1 && Count("two-hub-fence-b") >= 1, "both fences on A's hub");

        Assert.Equal(1, Count("two-hub-on-b"));
        Assert.Equal(1, Count("two-hub-on-a"));
        Assert.Equal(1, Count("two-hub-fence-a"));
        Assert.Equal(1, Count("two-hub-fence-b"));
        // Stored once each, on the one database; a relayed change is never relayed back.
        Assert.Equal(4L, _database.Scalar<long>("""SELECT COUNT(*) FROM "Events" """));
        Assert.DoesNotContain(feedA, c => c is { Remote: true, Event.RequestId: "two-hub-on-a" or "two-hub-fence-a" });
        Assert.DoesNotContain(feedB, c => c is { Remote: true, Event.RequestId: "two-hub-on-b" or "two-hub-fence-b" });
    }

    [Fact]
    public async Task SignIn_CookieIssuedByA_IsAcceptedByB()
    {
        var a = Start(_redis.DashboardSettings(_database));
        var b = Start(_redis.DashboardSettings(_database));
        using var browser = SignInFlow.For(a);
        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        Assert.Contains(browser.Cookies.GetCookies(a.BaseAddress), c => c.Name == Hosting.SecuritySetup.CookieName);

        // The same cookie jar (cookies are per host, not per port) against the other instance.
        using var onB = b.CreateHttpClient(bearerToken: null, cookies: browser.Cookies);
        var api = await onB.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var page = await onB.GetAsync("/events");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Without the shared keys B could not read the cookie and would ask for a sign-in.
        using var stranger = b.CreateHttpClient(bearerToken: null, cookies: new CookieContainer());
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task Ingest_RedisUnreachable_Answers200StoresAndShowsLocallyWarnsOnce()
    {
        // A port nothing listens on: Redis is down from the start and stays down.
        var settings = _database.DashboardSettings();
        settings["Redis:Configuration"] = $"127.0.0.1:{FreePort.Next()},connectTimeout=500,password={RedisPassword}";
        settings["Redis:ChannelPrefix"] = _redis.ChannelPrefix;
        var a = Start(settings);
        var feed = Watch(a);

        for (var i = 0; i < 5; i++) await PostAsync(a, $"two-down-{i}");

        Assert.Equal(5L, _database.Scalar<long>("""SELECT COUNT(*) FROM "Events" """));
        // Pages here still update from this instance's own ingest.
        await WaitAsync(() => feed.Count(c => c is { Kind: LiveChangeKind.EventReceived, Remote: false }) == 5, "the five events on the local live feed");
        Assert.Equal(HttpStatusCode.OK, (await a.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Http.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.PostSignedWebhookAsync(Event("two-down-last"))).StatusCode);
        // One warning for the outage, not one per event; and never the configuration string.
        await WaitAsync(() => a.LogLines().Any(l => l.Contains("Redis at", StringComparison.Ordinal)), "the outage warning in the log");
        Assert.Single(a.LogLines(), l => l.Contains("is unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain(a.LogLines(), l => l.Contains(RedisPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitPin_OnAForARequestThatArrivedOnB_ReachesWeLinkAndTheOutcomeShowsOnA()
    {
        const string apiKey = "two-instances-api-key";
        const string apiSecret = "two-instances-api-secret";
        const string pin = "640213";
        var weLinkPort = FreePort.Next();
        var settings = _redis.DashboardSettings(_database);
        settings["WeLink:ApiBaseUrl"] = $"http://127.0.0.1:{weLinkPort}/";
        settings["WeLink:ApiKey"] = apiKey;
        settings["WeLink:ApiSecret"] = apiSecret;
        var a = Start(settings);
        var b = Start(settings);
        var feedA = Watch(a);
        // We-Link knows one webhook URL, and it is B's.
        await using var weLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            Port = weLinkPort,
            ApiKey = apiKey,
            ApiSecret = apiSecret,
            WebhookUrl = new Uri(b.BaseAddress, "/webhooks/welink"),
            WebhookSecret = DashboardApp.Secret,
            Accounts = 1,
            OutcomeDelay = TimeSpan.FromMilliseconds(20),
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);

        using var weLinkClient = new HttpClient { BaseAddress = weLink.BaseAddress };
        weLinkClient.DefaultRequestHeaders.Add("x-api-key", apiKey);
        weLinkClient.DefaultRequestHeaders.Add("x-api-secret", apiSecret);
        var login = await weLinkClient.PostAsJsonAsync("api/v1/login_v2", new { email = weLink.Accounts[0].Email, password = "account-password" });
        login.EnsureSuccessStatusCode();
        var requestId = (await login.Content.ReadFromJsonAsync<LoginStarted>())!.request_id;

        // The PIN request landed on B; A's live feed (its pages) and A's PIN list show it.
        await WaitAsync(() => feedA.Any(c => c is { Remote: true, Event: { } e } && e.RequestId == requestId && e.EventType == EventTypes.LoginPinRequired),
            "B's PIN request on A's live feed");
        using var operatorOnA = a.CreateHttpClient(DashboardApp.OperatorToken);
        Assert.Contains(requestId, await operatorOnA.GetStringAsync("/api/pins"));

        // The operator on A types the PIN: A sends it to We-Link, whose outcome webhook lands on B again.
        var submitted = await operatorOnA.PostAsJsonAsync($"/api/pins/{requestId}", new { code = pin });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(pin, (await weLink.WaitForLoginCodeAsync(c => c.RequestId == requestId, Limit)).Code);
        await WaitAsync(() => feedA.Any(c => c is { Remote: true, Event: { } e } && e.RequestId == requestId && e.EventType == EventTypes.LoginSuccess),
            "the login's outcome, stored by B, on A's live feed");
        await Poll.UntilAsync(() => Task.FromResult(_database.Scalar<string>($"""SELECT "Status" FROM "PinRequests" WHERE "RequestId" = '{requestId}'""")),
            status => status == "Succeeded", Limit, "the PIN request to be resolved");
        Assert.DoesNotContain(requestId, await operatorOnA.GetStringAsync("/api/pins"));
    }

    private sealed record LoginStarted(string status, string request_id);
}
