using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;
using WeLink.Testing;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// Gateway overhead: the same action called on the fake We-Link directly and through the
/// dashboard's gateway (Release build, child process), one at a time, interleaved (direct and
/// gateway alternate, the order flipping each round) after a warm-up, so both see the same machine
/// load. Added latency = gateway minus direct at the same percentile.
/// </summary>
public static class GatewayBench
{
    public static async Task<string> RunAsync(string dll, string work, int warmups, int samples)
    {
        const string key = "bench-key", apiSecret = "bench-api-secret", token = "bench-gateway-token-0123456789";
        await using var weLink = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            ApiKey = key, ApiSecret = apiSecret, Accounts = 5, EarlyWebhookRatio = 0, ConfigureLogging = l => l.ClearProviders(),
        }, CancellationToken.None);
        await using var server = await ChildDashboard.StartAsync(Path.Combine(work, "gateway.db"), Path.Combine(work, "logs"), new Dictionary<string, string>
        {
            ["WeLink__WebhookSecret"] = "bench-gateway-secret",
            ["WeLink__ApiBaseUrl"] = weLink.BaseAddress.ToString(),
            ["WeLink__ApiKey"] = key,
            ["WeLink__ApiSecret"] = apiSecret,
            ["Dashboard__ApiTokens__0__Name"] = "bench",
            ["Dashboard__ApiTokens__0__Token"] = token,
            ["Dashboard__ApiTokens__0__Role"] = "Operator",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        }, new ChildDashboard.Launch { Dll = dll, ConsoleLog = Path.Combine(work, "gateway-console.log"), StartLimit = TimeSpan.FromSeconds(90), StopGracefully = true });

        using var direct = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = weLink.BaseAddress };
        direct.DefaultRequestHeaders.Add("x-api-key", key);
        direct.DefaultRequestHeaders.Add("x-api-secret", apiSecret);
        using var gateway = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.BaseAddress, "/welink/") };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var directMs = new Latencies();
        var gatewayMs = new Latencies();
        var failures = 0;
        for (var i = 0; i < warmups + samples; i++)
        {
            var body = $$"""{"accountId":"acc-00{{1 + i % 5}}","profile_id":"lead-{{i}}"}""";
            var first = i % 2 == 0;
            for (var leg = 0; leg < 2; leg++)
            {
                var viaGateway = (leg == 0) == first;
                var watch = Stopwatch.StartNew();
                using var response = await (viaGateway ? gateway : direct).PostAsync("api/v1/view_profile", new StringContent(body, Encoding.UTF8, "application/json"));
                await response.Content.ReadAsByteArrayAsync();
                var ms = watch.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode) failures++;
                if (i >= warmups) (viaGateway ? gatewayMs : directMs).Add(ms);
            }
        }
        var table = new StringBuilder()
            .AppendLine($"Gateway overhead, `view_profile`, one call at a time, {samples:N0} interleaved pairs after {warmups:N0} warm-up pairs ({failures} non-2xx):")
            .AppendLine()
            .AppendLine("| path | p50 ms | p99 ms |")
            .AppendLine("|---|---:|---:|")
            .AppendLine($"| fake We-Link directly | {Format.Ms(directMs.Percentile(50))} | {Format.Ms(directMs.Percentile(99))} |")
            .AppendLine($"| through the gateway | {Format.Ms(gatewayMs.Percentile(50))} | {Format.Ms(gatewayMs.Percentile(99))} |")
            .AppendLine($"| **added by the gateway** | **{Format.Ms(gatewayMs.Percentile(50) - directMs.Percentile(50))}** | **{Format.Ms(gatewayMs.Percentile(99) - directMs.Percentile(99))}** |")
            .ToString();
        return table;
    }
}
