namespace WeLink.Dashboard.Bench;

/// <summary>Signed events made before a timed run, so that signing costs the load generator nothing while it measures.</summary>
public sealed class EventPool(string secret)
{
    private readonly List<BenchEvent> _events = [];
    private int _next = -1;
    private int _generators;

    public IReadOnlyList<BenchEvent> Events => _events;

    /// <summary>The index of an event never sent before (past the end when the pool ran dry).</summary>
    public int TakeUnused() => Interlocked.Increment(ref _next);

    public void EnsureUnused(int count)
    {
        var unused = _events.Count - (Volatile.Read(ref _next) + 1);
        if (unused >= count) return;
        var missing = count - unused;
        var parts = Math.Max(1, Environment.ProcessorCount);
        var made = new List<BenchEvent>[parts];
        Parallel.For(0, parts, p =>
        {
            var g = Interlocked.Increment(ref _generators);
            made[p] = new BenchTraffic(g * 7919, secret, $"b{g}x{p}").Events().Take(missing / parts + 1).ToList();
        });
        // Interleave so that each stretch of the pool has every generator's mix.
        for (var i = 0; i < made[0].Count; i++)
            foreach (var part in made)
                if (i < part.Count) _events.Add(part[i]);
    }
}
