using System.Diagnostics;

namespace WeLink.Testing;

/// <summary>Waits for a condition by polling it, up to a deadline; never a fixed sleep.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the probe's answer and returns that answer; throws
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> and the last answer after <paramref name="limit"/>.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        using var interval = new PeriodicTimer(Interval);
        var last = await probe();
        while (!done(last))
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for {what}; last seen: {last}");
            await interval.WaitForNextTickAsync();
            last = await probe();
        }
        return last;
    }

    /// <summary>Whether <paramref name="condition"/> came to hold within <paramref name="timeout"/> (false rather than a throw).</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        try
        {
            return await UntilAsync(condition, held => held, timeout, "a condition");
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>The integration tests' name for <see cref="Poll.HoldsAsync"/>.</summary>
public static class Eventually
{
    public static Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout) => Poll.HoldsAsync(condition, timeout);
}
