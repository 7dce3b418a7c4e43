using System.Diagnostics;

namespace WeLink.Dashboard.ReliabilityTests.Infrastructure;

/// <summary>Waits for a condition by polling it, up to a deadline; never a fixed sleep.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        using var interval = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = await probe();
        while (!done(last))
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for {what}; last seen: {last}");
            await interval.WaitForNextTickAsync();
            last = await probe();
        }
        return last;
    }
}
