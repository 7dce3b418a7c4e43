using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Traffic;

namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// Once the dashboard listens: an automation pointed at the dashboard's own gateway
/// (<c>/welink/api/v1/{action}</c>, with the demo's We-Link key and secret) calls the catalogue's
/// actions at <c>Demo:EventsPerSecond</c> for the fleet, and every <c>Demo:PinLoginInterval</c>
/// starts a <c>login_v2</c> that asks for a PIN, which an operator answers from the PIN inbox. The
/// fake We-Link posts each outcome to the bare webhook URL, with no hint, sometimes before it
/// answers the call: attribution comes from what the gateway recorded, as in a real deployment.
/// Nothing here may stop the dashboard: a failed step is logged and the next one comes.
/// </summary>
internal sealed class DemoTraffic(
    DemoSession session,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<DemoOptions> options,
    IOptions<WeLinkOptions> weLink,
    TimeProvider time,
    ILogger<DemoTraffic> logger) : BackgroundService
{
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
            var gateway = new Uri(target, "/welink/api/v1/");
            var o = options.Value;
            logger.LogWarning(
                "DEMO MODE: database {Database}; fake We-Link API at {FakeApi}; {Rate} simulated actions/s for {Accounts} accounts (about {PerAccount:0} calls per account an hour) through the gateway {Gateway}, "
                + "their webhooks posted to {Target}; a login asking for a PIN every {Interval} (any PIN but {WrongPin} logs in). The admin password is printed once, "
                + "at the demo database's first start; delete {Folder} to start the demo afresh.",
                session.DatabasePath, session.FakeApiAddress, o.EventsPerSecond, o.Accounts, o.ActionsPerAccountPerHour, gateway, target, o.PinLoginInterval,
                FakeWeLinkApi.WrongPinCode, Path.GetDirectoryName(session.DatabasePath));

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
            // The automation authenticates as an existing We-Link integration does: with We-Link's own key and secret.
            http.DefaultRequestHeaders.Add("x-api-key", session.ApiKey);
            http.DefaultRequestHeaders.Add("x-api-secret", session.ApiSecret);
            await Task.WhenAll(CallActionsAsync(http, gateway, o, stoppingToken), StartPinLoginsAsync(http, gateway, o, stoppingToken));
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

    private async Task CallActionsAsync(HttpClient http, Uri gateway, DemoOptions o, CancellationToken stoppingToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / o.EventsPerSecond), time);
        var random = new Random(1);
        for (var index = 0; ; index++)
        {
            await pace.WaitForNextTickAsync(stoppingToken);
            var action = GatewayTraffic.Actions[random.Next(GatewayTraffic.Actions.Count)];
            // Accounts in turn, not at random: each one's share of the pace, and so its budget use, is exact.
            var account = session.Accounts[index % session.Accounts.Count];
            try
            {
                using var response = await http.PostAsJsonAsync(new Uri(gateway, action), GatewayTraffic.Body(action, account.AccountId, index), stoppingToken);
                if (!response.IsSuccessStatusCode) logger.LogWarning("Demo action {Action} answered {Status}", action, (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Demo action {Action} not sent: {Error}", action, ex.Message);
            }
        }
    }

    private async Task StartPinLoginsAsync(HttpClient http, Uri gateway, DemoOptions o, CancellationToken stoppingToken)
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
                var requestId = await StartLoginAsync(http, gateway, account, stoppingToken);
                waiting.Add((requestId, account.AccountId, time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Demo login not started: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Calls <c>login_v2</c> through the gateway, by e-mail as an automation does; the gateway learns the account from We-Link's list.</summary>
    private async Task<string> StartLoginAsync(HttpClient http, Uri gateway, FleetAccount account, CancellationToken stoppingToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(gateway, "login_v2"),
            new { email = account.Email, password = "demo-password", proxy = new { location = "US" } }, stoppingToken);
        response.EnsureSuccessStatusCode();
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.First()
            : throw new InvalidOperationException("login_v2 answered without a request id.");
        logger.LogInformation("Demo: login of {AccountId} started (request {RequestId}); its PIN request is on its way to the PIN inbox", account.AccountId, requestId);
        return requestId;
    }
}
