using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Limits;

/// <summary>A take from a rate limit: allowed, or refused with when to try again.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan? RetryAfter);

/// <summary>
/// Fixed-window rate limits kept in the database, so every instance counts against one budget (a window
/// begins with its first take and lasts <c>window</c>). Each take is one statement through the writer.
/// </summary>
public sealed class RateLimitWindows(DashboardWriter writer)
{
    /// <summary>Longest a bucket's name is stored; longer callers' keys are cut (a client address or operator name is far shorter).</summary>
    public const int MaxBucketLength = 160;

    /// <summary>
    /// Takes one from <paramref name="bucket"/>'s window of <paramref name="permits"/> per <paramref name="window"/>.
    /// Throws <see cref="DatabaseUnavailableException"/> when the database cannot count.
    /// </summary>
    public async Task<RateLimitDecision> TakeAsync(string bucket, int permits, TimeSpan window, CancellationToken cancellationToken)
    {
        if (bucket.Length > MaxBucketLength) bucket = bucket[..MaxBucketLength];
        var windowMs = (long)window.TotalMilliseconds;
        var (take, now) = await writer.ExecuteAsync(new TakeFromWindow(bucket, windowMs), cancellationToken);
        if (take.Count <= permits) return new(true, null);
        return new(false, TimeSpan.FromMilliseconds(Math.Max(0, take.WindowStart + windowMs - now)));
    }

    private sealed class TakeFromWindow(string bucket, long windowMs) : WriteOperation<(RateLimitTake, long)>
    {
        public override (RateLimitTake, long) Apply(WriteSession session)
        {
            var now = session.NowMs;
            return (session.TakeFromWindow(bucket, now, windowMs), now);
        }
    }
}
