using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WeLink.Dashboard.Bench;

public sealed record QueryResult(string Name, string Url, string Outcome, Latencies Times);

/// <summary>
/// Times the read API at scale over HTTP, each query alone (sequentially), with the bearer
/// token scripts use. A route that is not there yet is reported as such, not failed.
/// </summary>
public sealed class QueryBench(Uri baseAddress, string token)
{
    private readonly HttpClient _http = CreateClient(baseAddress, token);

    private static HttpClient CreateClient(Uri baseAddress, string token)
    {
        var http = LoadRunner.Client(baseAddress, 4);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    public async Task<List<QueryResult>> RunAsync(int warmups, int samples, TimeSpan budgetPerQuery)
    {
        var now = DateTimeOffset.UtcNow;
        string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var account = BenchTraffic.AccountName(7);
        var filtered = $"/api/events?account={account}&type=CONNECTION_SENT&limit=50";

        var queries = new List<(string Name, string Url)>
        {
            ("events: account + type, first page", filtered),
            ("events: account + type, page 20 (cursor)", await DeepPageAsync(filtered, 20) ?? filtered + "&cursor=n/a"),
            ("events: no filter, first page", "/api/events?limit=50"),
            ("events: status + errorCode + 24 h", $"/api/events?status=FAILED&errorCode=PROXY_ERROR&since={Iso(now.AddDays(-1))}&limit=50"),
            ("events: free text, common (q=Zürich)", "/api/events?q=" + Uri.EscapeDataString("Zürich") + "&limit=50"),
            ("events: free text, rare (one request id)", "/api/events?q=" + await RareTextAsync() + "&limit=50"),
            ("event by id", "/api/events/" + await SomeIdAsync()),
            ("stats/errors, 24 h", $"/api/stats/errors?since={Iso(now.AddDays(-1))}"),
            ("stats/errors, 30 days", $"/api/stats/errors?since={Iso(now.AddDays(-30))}"),
            ("stats/errors, one account, 30 days", $"/api/stats/errors?account={account}&since={Iso(now.AddDays(-30))}"),
            ("stats/connections (overview)", "/api/stats/connections"),
            ("accounts (overview)", "/api/accounts"),
            ("pins (overview)", "/api/pins"),
        };

        var results = new List<QueryResult>();
        foreach (var (name, url) in queries)
        {
            var times = new Latencies();
            var outcome = "ok";
            var budget = Stopwatch.StartNew();
            for (var i = 0; i < warmups + samples && budget.Elapsed < budgetPerQuery; i++)
            {
                var watch = Stopwatch.StartNew();
                HttpStatusCode status;
                try
                {
                    using var answer = await _http.GetAsync(url);
                    await answer.Content.LoadIntoBufferAsync();
                    status = answer.StatusCode;
                }
                catch (TaskCanceledException)
                {
                    outcome = "timeout";
                    break;
                }
                var ms = watch.Elapsed.TotalMilliseconds;
                if (status != HttpStatusCode.OK)
                {
                    outcome = $"n/a ({(int)status})";
                    break;
                }
                if (i >= warmups) times.Add(ms);
            }
            results.Add(new QueryResult(name, url, outcome, times));
            Console.WriteLine($"  {name,-44} {(outcome == "ok" ? $"p50 {Format.Ms(times.Percentile(50))} ms, p95 {Format.Ms(times.Percentile(95))} ms ({times.Count})" : outcome)}");
        }
        return results;
    }

    /// <summary>Follows <c>nextCursor</c> <paramref name="pages"/> times; the URL of that page, or null when paging is not there.</summary>
    private async Task<string?> DeepPageAsync(string url, int pages)
    {
        var current = url;
        for (var page = 0; page < pages; page++)
        {
            var cursor = await GetStringAsync(current, "nextCursor");
            if (cursor is null) return page == 0 ? null : current;
            current = url + "&cursor=" + Uri.EscapeDataString(cursor);
        }
        return current;
    }

    private async Task<string> RareTextAsync()
    {
        // A request id from the middle of the log: found in exactly one event.
        var id = await GetStringAsync("/api/events?limit=1&until=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-15).ToString("O")), "requestId");
        return Uri.EscapeDataString(id ?? "seed0-0007a120");
    }

    private async Task<string> SomeIdAsync() => await GetStringAsync("/api/events?limit=1", "id") ?? "500000";

    /// <summary>The first string or number named <paramref name="property"/> in the JSON answer (top level or first item).</summary>
    private async Task<string?> GetStringAsync(string url, string property)
    {
        try
        {
            using var answer = await _http.GetAsync(url);
            if (!answer.IsSuccessStatusCode) return null;
            using var document = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty(property, out var top)) return Text(top);
            if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array && items.GetArrayLength() > 0
                && items[0].TryGetProperty(property, out var inner))
                return Text(inner);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }

        static string? Text(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
