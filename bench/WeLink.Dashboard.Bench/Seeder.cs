using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Bench;

public sealed record SeedResult(long Events, double Seconds, long FileBytes);

/// <summary>
/// Bulk-loads signed, realistic events into a dashboard file (or PostgreSQL database, see <see cref="BenchStore"/>) that no server is writing to,
/// through the product's own write path: <see cref="StoreWebhookEvent"/> (event row, dedupe,
/// classification and every projection) on a <see cref="WriteSession"/>, in transactions of
/// <see cref="TransactionSize"/> events instead of the writer's per-request batches. Generating,
/// signing, parsing and verifying run on the other cores, in parallel with the writes. The
/// events' times are spread evenly over the <paramref name="days"/> days before now.
/// </summary>
public static class Seeder
{
    public const int TransactionSize = 20_000;

    public static async Task<SeedResult> SeedAsync(BenchStore store, string databasePath, string secret, long count, int days, TimeSpan pinTimeout)
    {
        var clock = new SeedClock();
        var now = DateTimeOffset.UtcNow;
        var start = now.AddDays(-days);
        var step = (now - start).Ticks / Math.Max(1, count);
        var channel = Channel.CreateBounded<(IngestRequest Request, JsonDocument Document)>(
            new BoundedChannelOptions(TransactionSize * 2) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        var producers = Math.Max(1, Environment.ProcessorCount - 1);
        var perProducer = count / producers;
        var watch = Stopwatch.StartNew();
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            using var events = new BenchTraffic(1000 + p, secret, $"seed{p}").Events().GetEnumerator();
            var mine = p == producers - 1 ? count - perProducer * (producers - 1) : perProducer;
            for (long i = 0; i < mine && events.MoveNext(); i++)
            {
                var e = events.Current;
                var document = JsonDocument.Parse(e.Body);
                // Signed just above in the JSON.stringify form: recorded as such without checking again.
                const SignatureOutcome signature = SignatureOutcome.VerifiedNode;
                var request = new IngestRequest(e.Body, SHA256.HashData(e.Body), WebhookEnvelope.Read(document.RootElement),
                    new WebhookHints(e.EventHint, e.AccountId), signature);
                await channel.Writer.WriteAsync((request, document));
            }
        })).ToArray();
        _ = Task.WhenAll(producing).ContinueWith(t => channel.Writer.Complete(t.Exception), TaskScheduler.Default);

        long written = 0;
        using (var session = store.OpenSession(databasePath, clock))
        {
            var batch = new List<(IngestRequest Request, JsonDocument Document)>(TransactionSize);
            while (await channel.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < TransactionSize)
                {
                    if (channel.Reader.TryRead(out var item)) batch.Add(item);
                    else if (!await channel.Reader.WaitToReadAsync()) break;
                }
                var first = written;
                session.ApplyAll(batch.Select((item, i) =>
                {
                    clock.Now = start.AddTicks((first + i) * step);
                    return (WriteOperation)new StoreWebhookEvent(item.Request, pinTimeout);
                }));
                written += batch.Count;
                foreach (var (_, document) in batch) document.Dispose();
                // The writer leaves checkpoints to the dashboard's checkpointer: do them here.
                if (!store.PostgreSql && written % 100_000 < TransactionSize) session.CheckpointWal();
                if (written % 200_000 < TransactionSize) Console.WriteLine($"  seeded {written:N0} events in {watch.Elapsed.TotalSeconds:0.0} s");
            }
            if (!store.PostgreSql) session.CheckpointWal(truncate: true);
        }
        // SQLite's search index, in its own file, as the dashboard's indexer keeps it, in large transactions
        // (PostgreSQL's trigram index is on the events themselves, current at every commit).
        if (!store.PostgreSql)
        {
            var connectionString = store.ConnectionString(databasePath);
            SearchIndexFile.Prepare(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            using var index = SearchIndexWriter.Open(connectionString);
            while (index.IndexNewEvents(TransactionSize) == TransactionSize)
            {
            }
            Console.WriteLine($"  indexed the payloads for search in {watch.Elapsed.TotalSeconds:0.0} s");
        }
        await Task.WhenAll(producing);
        var seconds = watch.Elapsed.TotalSeconds;
        return new SeedResult(written, seconds, store.Size(databasePath));
    }

    private sealed class SeedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
