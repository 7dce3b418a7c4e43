using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WeLink.Webhooks;

namespace WeLink.Emulator.Traffic;

/// <summary>How <see cref="GatewayTraffic"/> drives actions through the dashboard's gateway.</summary>
public sealed record GatewayTrafficOptions
{
    /// <summary>The gateway's base, e.g. <c>http://127.0.0.1:5000/welink</c> (actions go to <c>{Gateway}/api/v1/{action}</c>).</summary>
    public required Uri Gateway { get; init; }
    /// <summary>A dashboard bearer token (Operator or Admin); or give <see cref="ApiKey"/> and <see cref="ApiSecret"/>.</summary>
    public string? BearerToken { get; init; }
    public string? ApiKey { get; init; }
    public string? ApiSecret { get; init; }
    public int Count { get; init; } = 200;
    public int Concurrency { get; init; } = 8;
    /// <summary>Accounts acc-001..acc-N, as the emulator's <c>serve</c> knows them.</summary>
    public int Accounts { get; init; } = 5;
    public int Seed { get; init; } = 1;
}

/// <summary>What a gateway run did.</summary>
public sealed record GatewayTrafficReport(int Calls, int Answered2xx, int Failed, IReadOnlyList<string> RequestIds, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Calls} actions through the gateway in {Elapsed.TotalSeconds:0.0} s: {Answered2xx} answered 2xx, {Failed} failed.";
}

/// <summary>
/// An automation pointed at the gateway instead of We-Link: asynchronous actions for the fleet's
/// accounts, with bodies as We-Link documents them (message text included), no hints anywhere.
/// The outcomes come back to the dashboard as webhooks from the emulator's <c>serve</c>.
/// </summary>
public sealed class GatewayTraffic
{
    /// <summary>The catalogue's actions an automation sends, login excepted (it needs a PIN).</summary>
    public static readonly IReadOnlyList<string> Actions = ActionCatalogue.DefaultFamilies.Where(a => a.Value != RequestActions.Login).Select(a => a.Key).ToArray();

    public async Task<GatewayTrafficReport> RunAsync(GatewayTrafficOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = options.Concurrency })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (options.BearerToken is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BearerToken);
        else if (options.ApiKey is not null && options.ApiSecret is not null)
        {
            http.DefaultRequestHeaders.Add("x-api-key", options.ApiKey);
            http.DefaultRequestHeaders.Add("x-api-secret", options.ApiSecret);
        }

        var random = new Random(options.Seed);
        var plan = Enumerable.Range(0, options.Count)
            .Select(i => (Action: Actions[random.Next(Actions.Count)], Account: FleetAccount.Create(1 + random.Next(options.Accounts)).AccountId, Index: i))
            .ToArray();
        var baseUrl = options.Gateway.ToString().TrimEnd('/') + "/api/v1/";
        var ids = new List<string>();
        int ok = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (call, token) =>
        {
            try
            {
                using var response = await http.PostAsJsonAsync(baseUrl + call.Action, Body(call.Action, call.Account, call.Index), token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }
                Interlocked.Increment(ref ok);
                if (response.Headers.TryGetValues("X-Request-Id", out var values)) lock (ids) ids.Add(values.First());
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }).ConfigureAwait(false);
        return new GatewayTrafficReport(plan.Length, ok, failed, ids, watch.Elapsed);
    }

    /// <summary>A body as We-Link's API pages show it for the action.</summary>
    public static JsonObject Body(string action, string accountId, int index) => action switch
    {
        "connect" => new JsonObject { ["accountId"] = accountId, ["profile_id"] = $"lead-{index}", ["message"] = $"Hello lead {index}, let's connect" },
        "send_message" or "send_message_to_thread" or "send_message_to_sales_navigator_thread" =>
            new JsonObject { ["accountId"] = accountId, ["thread_id"] = $"t-{index}", ["message"] = $"Following up, lead {index}", ["track_reply"] = false },
        "search" or "sales_navigator_search" => new JsonObject { ["accountId"] = accountId, ["keywords"] = "head of growth" },
        _ => new JsonObject { ["accountId"] = accountId, ["profile_id"] = $"lead-{index}" },
    };
}
