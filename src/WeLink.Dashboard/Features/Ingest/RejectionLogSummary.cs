using System.Collections.Concurrent;
using System.Globalization;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// Refused deliveries, summed per reason until the next log line. A line per refusal let anonymous
/// traffic fill the disk; one line a minute says the same ("bad-signature=120, not-json=3").
/// </summary>
public sealed class RejectionLogSummary(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = time.GetUtcNow();

    public void Count(string reason) => _counts.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>
    /// When a minute has passed since the last summary and something was refused, the total and the
    /// counts per reason (sorted by reason), which are then reset; otherwise null.
    /// </summary>
    public (long Total, string Reasons, TimeSpan Window)? TakeIfDue()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var window = now - _windowStart;
            if (window < Interval) return null;
            _windowStart = now;
            var taken = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var reason in _counts.Keys)
            {
                if (_counts.TryRemove(reason, out var n)) taken[reason] = n;
            }
            if (taken.Count == 0) return null;
            var reasons = string.Join(", ", taken.Select(t => t.Key + "=" + t.Value.ToString(CultureInfo.InvariantCulture)));
            return (taken.Values.Sum(), reasons, window);
        }
    }
}
