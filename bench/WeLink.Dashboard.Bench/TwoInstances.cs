using System.Globalization;
using WeLink.Testing;

namespace WeLink.Dashboard.Bench;

/// <summary>
/// One dashboard against two on one PostgreSQL database, interleaved (one, two, one, two, …) in one bench process
/// so both see the same machine: the same number of events each time, 32 connections in all, split evenly over
/// the instances' ports (nothing in front), each run on a fresh database. Printed with the load average.
/// </summary>
public static class TwoInstances
{
    public sealed record Run(int Instances, double PerSecond, double P50, double P99, long Non200, string Load);

    /// <param name="start">Starts instance number <c>i</c> of a run on the database named by the first argument.</param>
    public static async Task<string> CompareAsync(Func<string, int, Task<ChildDashboard>> start, string work, string secret, int rounds, int count, int connections)
    {
        var pool = new EventPool(secret);
        var runs = new List<Run>();
        for (var round = 1; round <= rounds; round++)
            foreach (var instances in new[] { 1, 2 })
            {
                var database = Path.Combine(work, $"instances-{round}-{instances}.db");
                var servers = new List<ChildDashboard>();
                try
                {
                    // The first one creates and migrates the database; the second starts on it as a restart would.
                    for (var i = 0; i < instances; i++) servers.Add(await start(database, i));
                    // Warm-up (JIT, connection pools, the writer) on every instance, not counted.
                    pool.EnsureUnused(2_000 + count);
                    await SpreadAsync(servers, Slice(pool, 2_000), connections);
                    var load = File.ReadAllText("/proc/loadavg").Trim();
                    var results = await SpreadAsync(servers, Slice(pool, count), connections);
                    var acks = new Latencies();
                    foreach (var result in results) acks.AddRange(result.Acks.All());
                    var run = new Run(instances, results.Sum(r => r.Completed) / results.Max(r => r.Seconds),
                        acks.Percentile(50), acks.Percentile(99), results.Sum(r => r.Non200), load);
                    runs.Add(run);
                    Console.WriteLine(FormattableString.Invariant(
                        $"  round {round}, {instances} instance{(instances == 1 ? "" : "s")}: {run.PerSecond:0} events/s, ack p50 {Format.Ms(run.P50)} ms p99 {Format.Ms(run.P99)} ms, non-200 {run.Non200} | load {load}"));
                }
                finally
                {
                    foreach (var server in servers) await server.DisposeAsync();
                }
            }

        double Median(int instances, Func<Run, double> figure)
        {
            var values = runs.Where(r => r.Instances == instances).Select(figure).Order().ToArray();
            return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        }
        string Line(int instances) => FormattableString.Invariant(
            $"| {instances} | {Median(instances, r => r.PerSecond):0} | {Format.Ms(Median(instances, r => r.P50))} | {Format.Ms(Median(instances, r => r.P99))} | {runs.Where(r => r.Instances == instances).Sum(r => r.Non200)} |");
        return string.Join('\n',
            "",
            FormattableString.Invariant($"Medians of {rounds} rounds, {count:N0} events per run, {connections} connections in all:"),
            "| instances | events/s | ack p50 ms | ack p99 ms | non-200 |",
            "|---|---|---|---|---|",
            Line(1),
            Line(2),
            FormattableString.Invariant(
                $"| two ÷ one | {Median(2, r => r.PerSecond) / Median(1, r => r.PerSecond):0.00} | {Median(2, r => r.P50) / Median(1, r => r.P50):0.00} | {Median(2, r => r.P99) / Median(1, r => r.P99):0.00} | |"));
    }

    private static List<BenchEvent> Slice(EventPool pool, int count) =>
        Enumerable.Range(0, count).Select(_ => pool.Events[pool.TakeUnused()]).ToList();

    /// <summary>Every event once, <paramref name="connections"/> closed-loop senders split evenly over the instances.</summary>
    private static async Task<LoadResult[]> SpreadAsync(IReadOnlyList<ChildDashboard> servers, List<BenchEvent> events, int connections)
    {
        var next = -1;
        return await Task.WhenAll(servers.Select(server => LoadRunner.ClosedLoopAsync(server.BaseAddress, "ingest", "/webhooks/welink",
            connections / servers.Count, events, () => Interlocked.Increment(ref next), TimeSpan.Zero, TimeSpan.FromMinutes(10))));
    }
}
