using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Bench;

/// <summary>What a seed took: <paramref name="Seconds"/> in all, <paramref name="StoredSeconds"/> until the last event was stored with every projection.</summary>
public sealed record SeedResult(long Events, double Seconds, double StoredSeconds, long FileBytes);

/// <summary>
/// Bulk-loads signed, realistic events into a dashboard file (or PostgreSQL database, see <see cref="BenchStore"/>) that no server is writing to,
/// through the product's own write path: <see cref="StoreWebhookEvent"/> (event row, dedupe,
/// classification and every projection) on a <see cref="WriteSession"/>, in transactions of
/// <see cref="TransactionSize"/> events instead of the writer's per-request batches, with a page cache of
/// <see cref="CacheMiB"/>. Generating, signing, parsing and verifying run on the other cores, in parallel with
/// the writes; so does the search index (SQLite), built in its own file behind the events, as the dashboard's
/// indexer keeps it during a catch-up. The events' times are spread evenly over the <paramref name="days"/> days
/// before now.
/// </summary>
public static class Seeder
{
    public const int TransactionSize = 20_000;

    /// <summary>
    /// The session's page cache: a transaction of 20,000 events dirties more pages of the random-key indexes than
    /// the writer's 32 MiB hold once the file is large, and SQLite would spill them into the log before the
    /// commit, writing many twice (1,000,000 events: 341 s with 32 MiB, 273 s with 256 MiB, the index apart).
    /// </summary>
    public const int CacheMiB = 256;

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

        // SQLite's search index, in its own file, kept as the dashboard's indexer keeps it: on a thread and connection
        // of its own, behind the events, in large transactions (PostgreSQL's trigram index is on the events
        // themselves, current at every commit).
        var committed = new SemaphoreSlim(0);
        var seedingDone = false;
        double indexedAt = 0;
        var indexing = Task.CompletedTask;
        if (!store.PostgreSql)
        {
            var connectionString = store.ConnectionString(databasePath);
            SearchIndexFile.Prepare(connectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            indexing = Task.Factory.StartNew(() =>
            {
                using var index = SearchIndexWriter.Open(connectionString);
                while (true)
                {
                    var done = Volatile.Read(ref seedingDone);
                    while (index.IndexNewEvents(TransactionSize) == TransactionSize)
                    {
                    }
                    if (done) break;
                    committed.Wait();
                }
                indexedAt = watch.Elapsed.TotalSeconds;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        long written = 0;
        double storedAt;
        using (var session = store.OpenSession(databasePath, clock))
        {
            session.UsePageCache(CacheMiB);
            var batch = new List<(IngestRequest Request, JsonDocument Document)>(TransactionSize);
            try
            {
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
                    committed.Release();
                    foreach (var (_, document) in batch) document.Dispose();
                    // The writer leaves checkpoints to the dashboard's checkpointer: do them here.
                    if (!store.PostgreSql && written % 100_000 < TransactionSize) session.CheckpointWal();
                    if (written % 200_000 < TransactionSize) Console.WriteLine($"  seeded {written:N0} events in {watch.Elapsed.TotalSeconds:0.0} s");
                }
            }
            finally
            {
                // Also when a write failed: the indexer indexes what was committed and ends.
                Volatile.Write(ref seedingDone, true);
                committed.Release();
            }
            storedAt = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"  stored {written:N0} events with every projection in {storedAt:0.0} s");
            await indexing;
            if (!store.PostgreSql)
            {
                Console.WriteLine($"  the search index, built beside them, caught up in {indexedAt:0.0} s");
                session.CheckpointWal(truncate: true);
            }
        }
        await Task.WhenAll(producing);
        var seconds = watch.Elapsed.TotalSeconds;
        return new SeedResult(written, seconds, storedAt, store.Size(databasePath));
    }

    private sealed class SeedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
