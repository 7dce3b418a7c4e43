using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Hosting;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// Once the dashboard listens: posts the emulator's generated webhooks to the dashboard's own
/// <c>/webhooks/welink</c> over HTTP, signed, at <c>Demo:EventsPerSecond</c>, and every
/// <c>Demo:PinLoginInterval</c> starts a login on the fake We-Link (<c>login_v2</c>) that asks for a
/// PIN, which an operator answers from the PIN inbox.
/// Every post goes to the bare URL, with no hint: like a deployment whose automation goes through
/// the dashboard, the demo tells the dashboard each request (id, account, action) before its
/// webhook can arrive, and correlation does the rest. Nothing here may stop the dashboard: a failed
/// step is logged and the next one comes.
/// </summary>
internal sealed class DemoTraffic(
    DemoSession session,
    IServer server,
    IHostApplicationLifetime lifetime,
    DashboardWriter writer,
    IOptions<DemoOptions> options,
    IOptions<WeLinkOptions> weLink,
    TimeProvider time,
    ILogger<DemoTraffic> logger) : BackgroundService
{
    /// <summary>Events generated at a time; the generator's coverage of every type and code comes first in each round.</summary>
    private const int EventsPerRound = 5000;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitForStartAsync(stoppingToken);
            Uri target;
            try
            {
                target = DemoWebhookTarget.Choose(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            }
            catch (InvalidOperationException ex)
            {
                logger.LogError("Demo traffic not started: {Error}", ex.Message);
                return;
            }
            session.SetWebhookTarget(target);
            var o = options.Value;
            logger.LogWarning(
                "DEMO MODE: database {Database}; fake We-Link API at {FakeApi}; {Rate} simulated events/s for {Accounts} accounts posted to {Target}; "
                + "a login asking for a PIN every {Interval} (any PIN but {WrongPin} logs in). The admin password is printed once, at the demo database's first start; "
                + "delete {Folder} to start the demo afresh.",
                session.DatabasePath, session.FakeApiAddress, o.EventsPerSecond, o.Accounts, target, o.PinLoginInterval,
                FakeWeLinkApi.WrongPinCode, Path.GetDirectoryName(session.DatabasePath));

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            await Task.WhenAll(PostEventsAsync(http, target, o, stoppingToken), StartPinLoginsAsync(http, o, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    private async Task PostEventsAsync(HttpClient http, Uri target, DemoOptions o, CancellationToken stoppingToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / o.EventsPerSecond), time);
        for (var round = 1; ; round++)
        {
            var generator = new TrafficGenerator(new SendOptions
            {
                Target = target,
                Secret = session.WebhookSecret,
                Count = EventsPerRound,
                Accounts = o.Accounts,
                RedeliveryRatio = 0.03,
                Seed = round,
            });
            foreach (var e in DemoTrafficPlan.Select(generator.Generate()))
            {
                await pace.WaitForNextTickAsync(stoppingToken);
                try
                {
                    if (DemoTrafficPlan.RegistrationOf(e) is { } registration) await RegisterAsync(registration, stoppingToken);
                    await PostAsync(http, target, e.Body, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Demo event {RequestId} not delivered: {Error}", e.RequestId, ex.Message);
                }
            }
        }
    }

    private async Task StartPinLoginsAsync(HttpClient http, DemoOptions o, CancellationToken stoppingToken)
    {
        if (o.MaxPendingPins == 0 || session.Accounts.Count == 0) return;
        var waiting = new List<(string RequestId, string AccountId, DateTimeOffset StartedAt)>();
        var next = 0;
        using var timer = new PeriodicTimer(o.PinLoginInterval, time);
        do
        {
            try
            {
                // A login stops waiting once a PIN was submitted for it, or when the dashboard has expired it.
                var answered = session.Api.LoginCodes.Select(c => c.RequestId).ToHashSet(StringComparer.Ordinal);
                var expired = time.GetUtcNow() - weLink.Value.PinTimeout;
                waiting.RemoveAll(w => answered.Contains(w.RequestId) || w.StartedAt <= expired);
                if (waiting.Count >= o.MaxPendingPins) continue;

                // Round robin over the fleet, skipping accounts whose login is still waiting.
                var index = Enumerable.Range(next, session.Accounts.Count).Select(i => i % session.Accounts.Count)
                    .Where(i => waiting.All(w => w.AccountId != session.Accounts[i].AccountId)).DefaultIfEmpty(-1).First();
                if (index < 0) continue;
                next = index + 1;
                var account = session.Accounts[index];
                var requestId = await StartLoginAsync(http, account, stoppingToken);
                waiting.Add((requestId, account.AccountId, time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Demo login not started: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Calls the fake We-Link's <c>login_v2</c> as an automation would, and tells the dashboard about the request.</summary>
    private async Task<string> StartLoginAsync(HttpClient http, FleetAccount account, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(session.FakeApiAddress, "api/v1/login_v2"))
        {
            Content = JsonContent.Create(new { email = account.Email, password = "demo-password" }),
        };
        request.Headers.Add("x-api-key", session.ApiKey);
        request.Headers.Add("x-api-secret", session.ApiSecret);
        using var response = await http.SendAsync(request, stoppingToken);
        response.EnsureSuccessStatusCode();
        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(stoppingToken), cancellationToken: stoppingToken);
        var requestId = answer.RootElement.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new InvalidOperationException("login_v2 answered without a request_id.");
        await RegisterAsync(new RequestRegistration(requestId, account.AccountId, RequestActions.Login), stoppingToken);
        logger.LogInformation("Demo: login of {AccountId} started (request {RequestId}); its PIN request is on its way to the PIN inbox", account.AccountId, requestId);
        return requestId;
    }

    private Task RegisterAsync(RequestRegistration registration, CancellationToken stoppingToken) =>
        writer.ExecuteAsync<object?>(new RegisterRequest(registration), stoppingToken);

    private async Task PostAsync(HttpClient http, Uri target, string body, CancellationToken stoppingToken)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync(target, content, stoppingToken);
        if (!response.IsSuccessStatusCode) logger.LogWarning("Demo webhook answered {Status}", (int)response.StatusCode);
    }
}
