using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;

namespace WeLink.Emulator.Traffic;

/// <summary>
/// Posts generated webhook traffic to a receiver and counts the answers. One run uses one
/// <see cref="HttpClient"/> with at most <see cref="SendOptions.Concurrency"/> connections;
/// a token bucket paces it when <see cref="SendOptions.Rate"/> is set. A login's outcome and a
/// redelivery are sent only after the post they follow has been answered.
/// </summary>
public sealed class TrafficSender
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Generates a run from <paramref name="options"/> and sends it.</summary>
    public Task<SendReport> RunAsync(SendOptions options, CancellationToken cancellationToken)
    {
        var events = new TrafficGenerator(options).Generate();
        return SendAsync(events, options, cancellationToken);
    }

    /// <summary>Sends <paramref name="events"/> (from <see cref="TrafficGenerator"/>) to the URLs they carry.</summary>
    public async Task<SendReport> SendAsync(IReadOnlyList<GeneratedEvent> events, SendOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        options.Validate();

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = options.RequestTimeout };
        using var limiter = CreateLimiter(options.Rate);

        var answered = new TaskCompletionSource[events.Count];
        foreach (var e in events)
        {
            if (e.After is int after) answered[after] ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var tally = new Tally(events.Count);
        var next = -1;
        var stopwatch = Stopwatch.StartNew();

        async Task Worker()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < events.Count)
            {
                var e = events[index];
                // The predecessor was taken by a worker earlier, so this wait always ends.
                if (e.After is int after) await answered[after].Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (limiter is not null)
                    {
                        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                        if (!lease.IsAcquired) throw new InvalidOperationException("The rate limiter refused a permit.");
                    }
                    await PostAsync(client, e, tally, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    answered[index]?.TrySetResult();
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Min(options.Concurrency, events.Count)).Select(_ => Task.Run(Worker, cancellationToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        stopwatch.Stop();

        return new SendReport
        {
            Events = events.Count(e => !e.IsRedelivery),
            Sent = tally.Sent,
            Acknowledged = tally.Acknowledged,
            UniqueAcknowledged = events.Where(e => !e.IsRedelivery).Count(e => tally.EventAcknowledged[e.Sequence] != 0),
            Redeliveries = tally.Redeliveries,
            Rejected = new SortedDictionary<int, int>(tally.Rejected),
            Errors = tally.Errors,
            FirstError = tally.FirstError,
            Elapsed = stopwatch.Elapsed,
            Concurrency = options.Concurrency,
        };
    }

    private static async Task PostAsync(HttpClient client, GeneratedEvent e, Tally tally, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, e.Url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(e.Body)) };
        request.Content.Headers.ContentType = Json;
        Interlocked.Increment(ref tally.Sent);
        if (e.IsRedelivery) Interlocked.Increment(ref tally.Redeliveries);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref tally.Acknowledged);
                Volatile.Write(ref tally.EventAcknowledged[e.EventSequence], 1);
            }
            else
            {
                tally.Rejected.AddOrUpdate(status, 1, (_, n) => n + 1);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref tally.Errors);
            Interlocked.CompareExchange(ref tally.FirstError, ex is TaskCanceledException ? "timed out" : ex.Message, null);
        }
    }

    private static TokenBucketRateLimiter? CreateLimiter(double rate)
    {
        if (rate <= 0) return null;
        // Refill often enough to keep the pace smooth, in whole tokens: ~100 refills a second at most.
        var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(rate / 100));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private sealed class Tally(int events)
    {
        public int Sent;
        public int Acknowledged;
        public int Redeliveries;
        public int Errors;
        public string? FirstError;
        public readonly int[] EventAcknowledged = new int[events];
        public readonly ConcurrentDictionary<int, int> Rejected = new();
    }
}
