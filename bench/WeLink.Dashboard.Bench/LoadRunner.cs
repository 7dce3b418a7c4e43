using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace WeLink.Dashboard.Bench;

public sealed record LoadResult(string Target, int Connections, long Completed, double Seconds, Latencies Acks, IReadOnlyDictionary<int, long> Statuses, long Errors)
{
    public double PerSecond => Completed / Seconds;
    public long Non200 => Statuses.Where(s => s.Key != 200).Sum(s => s.Value) + Errors;
}

/// <summary>HTTP load against the dashboard: closed loops over N connections, or a steady open-loop rate.</summary>
public static class LoadRunner
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpClient Client(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// <paramref name="connections"/> senders, each posting its next event as soon as the last one
    /// was answered, for <paramref name="warmup"/> (not counted) then <paramref name="duration"/>.
    /// Stops early when <paramref name="events"/> runs out.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        Uri baseAddress, string target, string path, int connections, IReadOnlyList<BenchEvent> events, Func<int> take,
        TimeSpan warmup, TimeSpan duration, Action<BenchEvent, long>? answered = null)
    {
        using var http = Client(baseAddress, connections);
        var acks = new Latencies();
        var statuses = new Dictionary<int, long>();
        long completed = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var stopAt = warmup + duration;
        var measuredEnd = TimeSpan.Zero;

        async Task Sender()
        {
            var mine = new List<double>(4096);
            var myStatuses = new Dictionary<int, long>();
            long myCompleted = 0, myErrors = 0;
            while (clock.Elapsed < stopAt)
            {
                var index = take();
                if (index >= events.Count) break;
                var started = clock.Elapsed;
                var (status, id) = await PostAsync(http, path, events[index], readId: answered is not null);
                var ended = clock.Elapsed;
                if (status == 200) answered?.Invoke(events[index], id);
                if (started < measureFrom) continue;
                if (status < 0) myErrors++;
                else myStatuses[status] = myStatuses.GetValueOrDefault(status) + 1;
                myCompleted++;
                mine.Add((ended - started).TotalMilliseconds);
            }
            acks.AddRange(mine);
            lock (statuses)
            {
                foreach (var (k, v) in myStatuses) statuses[k] = statuses.GetValueOrDefault(k) + v;
                completed += myCompleted;
                errors += myErrors;
                if (clock.Elapsed > measuredEnd) measuredEnd = clock.Elapsed;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(Sender)));
        var seconds = Math.Max(0.001, (measuredEnd - measureFrom).TotalSeconds);
        return new LoadResult(target, connections, completed, seconds, acks, statuses, errors);
    }

    /// <summary>
    /// Posts <paramref name="events"/> at a steady <paramref name="perSecond"/> whatever the answers
    /// do (open loop). An ack's latency counts from its scheduled send time, so a stall shows up
    /// in the figures instead of slowing the sender down. <paramref name="onSend"/> sees each
    /// event's scheduled time (Stopwatch ticks) as it goes, <paramref name="answered"/> each event answered 200 with the id it was stored under.
    /// </summary>
    public static async Task<LoadResult> SteadyRateAsync(
        Uri baseAddress, string path, IReadOnlyList<BenchEvent> events, int perSecond, int warmupCount, Action<BenchEvent, long> onSend,
        Action<BenchEvent, long>? answered = null)
    {
        using var http = Client(baseAddress, 256);
        var acks = new Latencies();
        var statuses = new Dictionary<int, long>();
        long errors = 0;
        var inFlight = new List<Task>(events.Count);
        var started = Stopwatch.GetTimestamp();
        var tickPerEvent = Stopwatch.Frequency / (double)perSecond;

        async Task Send(int i, long scheduled)
        {
            var (status, id) = await PostAsync(http, path, events[i], readId: answered is not null);
            var ms = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
            if (status == 200) answered?.Invoke(events[i], id);
            if (i < warmupCount) return;
            acks.Add(ms);
            lock (statuses)
            {
                if (status < 0) errors++;
                else statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            var scheduled = started + (long)(i * tickPerEvent);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            onSend(events[i], scheduled);
            inFlight.Add(Send(i, scheduled));
        }
        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new LoadResult("ingest (steady)", 0, acks.Count, seconds, acks, statuses, errors);
    }

    /// <summary>
    /// Posts one event and reads the whole answer: the status code (-1 when the connection failed) and, with
    /// <paramref name="readId"/>, the stored event's <c>id</c> from the ingest answer (-1 when it has none).
    /// </summary>
    private static async Task<(int Status, long Id)> PostAsync(HttpClient http, string path, BenchEvent e, bool readId = false)
    {
        var content = new ByteArrayContent(e.Body);
        content.Headers.ContentType = Json;
        try
        {
            using var answer = await http.PostAsync(path + e.PathAndQuery, content);
            if (!readId)
            {
                await answer.Content.LoadIntoBufferAsync();
                return ((int)answer.StatusCode, -1);
            }
            return ((int)answer.StatusCode, StoredId(await answer.Content.ReadAsByteArrayAsync()));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Refused, reset or not answered within the client's timeout: counted as an error, not a crash of the bench.
            return (-1, -1);
        }
    }

    /// <summary>The top-level <c>id</c> of an ingest answer (<c>{"status":"stored","id":42,...}</c>), or -1.</summary>
    private static long StoredId(byte[] answer)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(answer);
            while (reader.Read())
                if (reader.CurrentDepth == 1 && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName && reader.ValueTextEquals("id")
                    && reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.Number)
                    return reader.GetInt64();
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return -1;
    }
}
