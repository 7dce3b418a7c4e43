using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// Where a webhook's time goes, as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <c>WeLink.Dashboard.Ingest</c>, for <c>dotnet-counters</c> (see <c>bench/profile.sh</c>) or any
/// OpenTelemetry exporter. Each stage is a histogram (its distribution) and adds to a time counter
/// tagged with the stage (its total, which divided by the events counted gives milliseconds per
/// event). Durations are milliseconds. Recording takes two timestamps and allocates nothing; with
/// nobody listening it costs next to nothing.
/// </summary>
public static class IngestMetrics
{
    public const string MeterName = "WeLink.Dashboard.Ingest";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> Read = Meter.CreateHistogram<double>("welink.ingest.read.duration", "ms", "Reading one delivery's body.");
    public static readonly Histogram<double> Parse = Meter.CreateHistogram<double>("welink.ingest.parse.duration", "ms", "Parsing one delivery's body.");
    public static readonly Histogram<double> Verify = Meter.CreateHistogram<double>("welink.ingest.verify.duration", "ms", "Signature check and content digest of one delivery.");
    public static readonly Histogram<double> Store = Meter.CreateHistogram<double>("welink.ingest.store.duration", "ms", "From handing a delivery to the writer to its commit being known (queue, batch, commit, wake-up).");
    public static readonly Histogram<double> Queued = Meter.CreateHistogram<double>("welink.ingest.queued.duration", "ms", "Time an operation waited in the writer's queue before its batch started.");
    public static readonly Histogram<double> Classify = Meter.CreateHistogram<double>("welink.ingest.classify.duration", "ms", "Classifying one event (type, account, request) on the writer.");
    public static readonly Histogram<double> Apply = Meter.CreateHistogram<double>("welink.ingest.apply.duration", "ms", "Applying one write operation in its batch, by operation type.");
    public static readonly Histogram<double> Commit = Meter.CreateHistogram<double>("welink.ingest.commit.duration", "ms", "Writing a batch's summed counters and committing it (WAL write, and its fsync where the log is not synced apart).");
    public static readonly Histogram<double> LogSync = Meter.CreateHistogram<double>("welink.ingest.log.sync.duration", "ms", "One sync of the write-ahead log on its own thread (SQLite on Linux), making the batches committed before it durable.");
    public static readonly Histogram<double> Checkpoint = Meter.CreateHistogram<double>("welink.ingest.checkpoint.duration", "ms", "A WAL checkpoint finished on the writer between two batches.");
    public static readonly Histogram<double> WriterBatch = Meter.CreateHistogram<double>("welink.ingest.writer.batch.duration", "ms", "The writer's time on one batch, from taking it off the queue to its callers released (and a checkpoint after it): summed over a run, the writer's busy time.");
    public static readonly Histogram<double> Publish = Meter.CreateHistogram<double>("welink.ingest.publish.duration", "ms", "Releasing a batch's callers and queueing its live changes.");
    public static readonly Histogram<double> Handler = Meter.CreateHistogram<double>("welink.ingest.handler.duration", "ms", "The whole ingest of one delivery in its endpoint, from the first byte read to the answer.");
    public static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("welink.ingest.batch.size", "{operation}", "Operations per writer batch.");
    public static readonly Histogram<double> Statement = Meter.CreateHistogram<double>("welink.ingest.statement.duration", "ms", "One SQL statement on the writer's connection, by a short statement name.");
    public static readonly Histogram<double> Reload = Meter.CreateHistogram<double>("welink.live.reload.duration", "ms", "One live reload of an open page or component (query and render), by component.");

    /// <summary>Total milliseconds per stage (tag <c>stage</c>).</summary>
    public static readonly Counter<double> StageTime = Meter.CreateCounter<double>("welink.ingest.stage.time", "ms", "Time spent per stage, summed.");

    /// <summary>Total milliseconds per statement (tag <c>statement</c>).</summary>
    public static readonly Counter<double> StatementTime = Meter.CreateCounter<double>("welink.ingest.statement.time", "ms", "Time spent per SQL statement on the writer, summed.");

    /// <summary>Statements run (tag <c>statement</c>).</summary>
    public static readonly Counter<long> StatementCount = Meter.CreateCounter<long>("welink.ingest.statement.count", "{statement}", "SQL statements run on the writer.");

    /// <summary>Write operations applied (tag <c>operation</c>): the divisor of a per-event breakdown.</summary>
    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("welink.ingest.operations", "{operation}", "Write operations applied.");

    public static readonly KeyValuePair<string, object?> ReadStage = new("stage", "read");
    public static readonly KeyValuePair<string, object?> ParseStage = new("stage", "parse");
    public static readonly KeyValuePair<string, object?> VerifyStage = new("stage", "verify");
    public static readonly KeyValuePair<string, object?> StoreStage = new("stage", "store");
    public static readonly KeyValuePair<string, object?> QueuedStage = new("stage", "queued");
    public static readonly KeyValuePair<string, object?> ClassifyStage = new("stage", "classify");
    public static readonly KeyValuePair<string, object?> CommitStage = new("stage", "commit");
    public static readonly KeyValuePair<string, object?> LogSyncStage = new("stage", "log sync");
    public static readonly KeyValuePair<string, object?> PublishStage = new("stage", "publish");
    public static readonly KeyValuePair<string, object?> CheckpointStage = new("stage", "checkpoint");
    public static readonly KeyValuePair<string, object?> HandlerStage = new("stage", "handler");
    public static readonly KeyValuePair<string, object?> WriterBatchStage = new("stage", "writer batch");

    /// <summary>Records the time since <paramref name="start"/> (a <see cref="Stopwatch.GetTimestamp"/>) in the stage's histogram and total.</summary>
    public static void Record(Histogram<double> histogram, KeyValuePair<string, object?> stage, long start)
    {
        if (!histogram.Enabled && !StageTime.Enabled) return;
        var ms = Since(start);
        histogram.Record(ms);
        StageTime.Add(ms, stage);
    }

    /// <summary>An operation applied: its histogram by type, its share of the apply stage, its count.</summary>
    public static void RecordApply(Type operation, long start)
    {
        if (!Apply.Enabled && !StageTime.Enabled) return;
        var ms = Since(start);
        var tag = OperationTag(operation);
        Apply.Record(ms, tag);
        StageTime.Add(ms, ApplyStage(operation));
        Operations.Add(1, tag);
    }

    /// <summary>One statement on the writer's connection.</summary>
    public static void RecordStatement(KeyValuePair<string, object?> statement, long start)
    {
        if (!Statement.Enabled && !StatementTime.Enabled) return;
        var ms = Since(start);
        Statement.Record(ms, statement);
        StatementTime.Add(ms, statement);
        StatementCount.Add(1, statement);
    }

    /// <summary>
    /// One live reload of an open page's component: its histogram by component and its share of the
    /// <c>reload</c> stages, so a profile shows what open pages cost beside the writer.
    /// </summary>
    public static void RecordReload(Type component, long start)
    {
        if (!Reload.Enabled && !StageTime.Enabled) return;
        var ms = Since(start);
        var stage = ReloadStages.GetOrAdd(component, t => new("stage", "reload " + t.Name));
        Reload.Record(ms, stage);
        StageTime.Add(ms, stage);
    }

    /// <summary>Milliseconds since <paramref name="start"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static double Since(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    private static readonly ConcurrentDictionary<Type, KeyValuePair<string, object?>> OperationTags = new();
    private static readonly ConcurrentDictionary<Type, KeyValuePair<string, object?>> ApplyStages = new();
    private static readonly ConcurrentDictionary<Type, KeyValuePair<string, object?>> ReloadStages = new();

    private static KeyValuePair<string, object?> OperationTag(Type type) => OperationTags.GetOrAdd(type, t => new("operation", t.Name));

    private static KeyValuePair<string, object?> ApplyStage(Type type) => ApplyStages.GetOrAdd(type, t => new("stage", "apply " + t.Name));
}
