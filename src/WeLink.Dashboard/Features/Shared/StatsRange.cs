using Microsoft.AspNetCore.WebUtilities;

namespace WeLink.Dashboard.Features.Shared;

/// <summary>
/// The time range of a stats page as the URL carries it: a rolling preset (<c>range=24h</c>, which
/// keeps moving while the page stays open) or a fixed custom range (<c>since</c>/<c>until</c>).
/// </summary>
public sealed record StatsRange(string? Preset, DateTimeOffset? Since, DateTimeOffset? Until)
{
    public sealed record PresetInfo(string Key, string Label, TimeSpan Span);

    public static readonly IReadOnlyList<PresetInfo> Presets =
    [
        new("1h", "Last hour", TimeSpan.FromHours(1)),
        new("24h", "Last 24 h", TimeSpan.FromHours(24)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        new("30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    public bool IsCustom => Preset is null;

    /// <summary>
    /// The times a stats range may name. Ranges are widened by a period (the previous one, for trends)
    /// and rounded to buckets: at the ends of the calendar that arithmetic would overflow.
    /// </summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    public static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string OutOfRangeMessage = "since and until must lie between 1970-01-01 and 3000-01-01.";

    /// <summary>True when both ends are absent or inside <see cref="Earliest"/>..<see cref="Latest"/>.</summary>
    public static bool IsSupported(DateTimeOffset? since, DateTimeOffset? until) => Inside(since) && Inside(until);

    private static bool Inside(DateTimeOffset? at) => at is not { } t || (t >= Earliest && t <= Latest);

    private static DateTimeOffset? Clamp(DateTimeOffset? at) =>
        at is not { } t ? null : t < Earliest ? Earliest : t > Latest ? Latest : t;

    /// <summary>Reads the URL: a known preset wins; else a readable since/until; else the page's default preset.</summary>
    public static StatsRange FromQuery(string? range, string? since, string? until, string defaultPreset)
    {
        if (Find(range) is { } preset) return new StatsRange(preset.Key, null, null);
        // A page shows the nearest supported range rather than failing on a hand-edited URL.
        var from = Clamp(DashboardUrls.ParseStamp(since));
        var to = Clamp(DashboardUrls.ParseStamp(until));
        if (from is not null || to is not null) return new StatsRange(null, from, to);
        return new StatsRange(Find(defaultPreset)?.Key ?? Presets[1].Key, null, null);
    }

    public static StatsRange Rolling(string preset) => new(preset, null, null);

    /// <summary>The concrete window at <paramref name="now"/>.</summary>
    public (DateTimeOffset Since, DateTimeOffset Until) Resolve(DateTimeOffset now)
    {
        if (Find(Preset) is { } preset) return (now - preset.Span, now);
        var until = Until ?? now;
        var since = Since ?? until - TimeSpan.FromHours(24);
        return since < until ? (since, until) : (until - TimeSpan.FromHours(24), until);
    }

    public string Describe(Func<DateTimeOffset, string> format) =>
        Find(Preset) is { } preset ? preset.Label
        : $"{(Since is { } s ? format(s) : "…")} – {(Until is { } u ? format(u) : "now")}";

    /// <summary>A stats page's URL for this range; <paramref name="build"/> is the page's <see cref="DashboardUrls"/> builder.</summary>
    public string Url(Func<DateTimeOffset?, DateTimeOffset?, string> build) =>
        Preset is { } preset ? QueryHelpers.AddQueryString(build(null, null), "range", preset) : build(Since, Until);

    /// <summary>
    /// The event-log window matching the counts: counters are hourly, so the log starts at the
    /// hour the range touches; a rolling range stays open-ended so new events keep showing.
    /// </summary>
    public (DateTimeOffset Since, DateTimeOffset? Until) EventLogWindow(DateTimeOffset now)
    {
        var (since, until) = Resolve(now);
        var from = DateTimeOffset.FromUnixTimeMilliseconds(CounterRange.HourFloor(since));
        return IsCustom && Until is not null
            ? (from, DateTimeOffset.FromUnixTimeMilliseconds(CounterRange.HourCeiling(until)))
            : (from, null);
    }

    private static PresetInfo? Find(string? key) =>
        key is null ? null : Presets.FirstOrDefault(p => string.Equals(p.Key, key.Trim(), StringComparison.OrdinalIgnoreCase));
}
