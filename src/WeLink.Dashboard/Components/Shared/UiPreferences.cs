using System.Globalization;
using System.Text.Json;
using Microsoft.JSInterop;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// The operator's display preferences (theme, clock, PIN sound), remembered in the browser's
/// local storage, plus the browser's UTC offset so times show in the operator's own zone.
/// One per circuit.
/// </summary>
public sealed class UiPreferences(IJSRuntime js)
{
    private sealed record Stored(bool? DarkMode, bool Use24HourClock, bool PinSound);

    /// <summary>Null follows the system theme.</summary>
    public bool? DarkMode { get; private set; }
    public bool Use24HourClock { get; private set; } = true;
    public bool PinSound { get; private set; }
    public TimeSpan UtcOffset { get; private set; }
    /// <summary>The browser's time zone (e.g. Europe/Berlin) when it named one this server knows; null before loading.</summary>
    public TimeZoneInfo? TimeZone { get; private set; }
    public bool Loaded { get; private set; }

    public event Action? Changed;

    /// <summary>Reads what the browser remembers; call after the first interactive render.</summary>
    public async Task LoadAsync()
    {
        try
        {
            var state = await js.InvokeAsync<JsonElement>("welinkDashboard.loadPreferences");
            if (state.TryGetProperty("utcOffsetMinutes", out var offset) && offset.TryGetInt32(out var minutes))
                UtcOffset = TimeSpan.FromMinutes(Math.Clamp(minutes, -14 * 60, 14 * 60));
            if (state.TryGetProperty("timeZone", out var zone) && zone.ValueKind == JsonValueKind.String)
                TimeZone = FindZone(zone.GetString());
            if (state.TryGetProperty("stored", out var stored) && stored.ValueKind == JsonValueKind.String
                && JsonSerializer.Deserialize<Stored>(stored.GetString()!) is { } prefs)
            {
                DarkMode = prefs.DarkMode;
                Use24HourClock = prefs.Use24HourClock;
                PinSound = prefs.PinSound;
            }
        }
        catch (Exception ex) when (ex is JsonException || JsInteropFailure.IsExpected(ex))
        {
            // Unreadable or unavailable storage: keep the defaults.
        }
        Loaded = true;
        Changed?.Invoke();
    }

    public Task SetDarkModeAsync(bool? dark) => SaveAsync(() => DarkMode = dark);
    public Task SetUse24HourClockAsync(bool use24) => SaveAsync(() => Use24HourClock = use24);
    public Task SetPinSoundAsync(bool on) => SaveAsync(() => PinSound = on);

    private async Task SaveAsync(Action change)
    {
        change();
        Changed?.Invoke();
        try
        {
            await js.InvokeVoidAsync("welinkDashboard.savePreferences", JsonSerializer.Serialize(new Stored(DarkMode, Use24HourClock, PinSound)));
        }
        catch (Exception ex) when (JsInteropFailure.IsExpected(ex))
        {
            // Not remembered, still applied for this session.
        }
    }

    /// <summary>
    /// When the operator's day began: midnight in the browser's time zone (with its daylight-saving
    /// rules when the zone is known, its current offset otherwise).
    /// </summary>
    public DateTimeOffset StartOfDay(DateTimeOffset now) => StartOfDay(now, TimeZone, UtcOffset);

    public static DateTimeOffset StartOfDay(DateTimeOffset now, TimeZoneInfo? zone, TimeSpan fallbackOffset)
    {
        if (zone is null)
        {
            var local = now.ToOffset(fallbackOffset);
            return new DateTimeOffset(local.Date, fallbackOffset);
        }
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = localNow.Date;
        // A zone may skip midnight (a daylight-saving jump at 00:00): the day then starts at its first valid minute.
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The zone's name for labels, e.g. "Europe/Berlin", or "UTC±hh:mm" when only the offset is known.</summary>
    public string ZoneName => TimeZone?.Id ?? (UtcOffset == TimeSpan.Zero ? "UTC" : $"UTC{(UtcOffset < TimeSpan.Zero ? "-" : "+")}{UtcOffset.ToString(@"hh\:mm", CultureInfo.InvariantCulture)}");

    private static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The exact time in the operator's zone and clock style.</summary>
    public string FormatExact(DateTimeOffset at) =>
        at.ToOffset(UtcOffset).ToString(Use24HourClock ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd h:mm:ss tt", CultureInfo.InvariantCulture);

    public string FormatClock(DateTimeOffset at) =>
        at.ToOffset(UtcOffset).ToString(Use24HourClock ? "HH:mm" : "h:mm tt", CultureInfo.InvariantCulture);

    /// <summary>"just now", "5 min ago", "in 3 min", ... relative to <paramref name="now"/>.</summary>
    public static string FormatRelative(DateTimeOffset at, DateTimeOffset now)
    {
        var delta = now - at;
        var future = delta < TimeSpan.Zero;
        var span = future ? -delta : delta;
        if (span < TimeSpan.FromSeconds(5)) return "just now";
        var text = span switch
        {
            _ when span < TimeSpan.FromMinutes(1) => $"{(int)span.TotalSeconds} s",
            _ when span < TimeSpan.FromHours(1) => $"{(int)span.TotalMinutes} min",
            _ when span < TimeSpan.FromDays(1) => $"{(int)span.TotalHours} h",
            _ => $"{(int)span.TotalDays} d",
        };
        return future ? "in " + text : text + " ago";
    }

    /// <summary>A countdown like "4:59" (or "1:02:03"); "0:00" once past.</summary>
    public static string FormatCountdown(DateTimeOffset until, DateTimeOffset now)
    {
        var left = until - now;
        if (left <= TimeSpan.Zero) return "0:00";
        return left.TotalHours >= 1
            ? $"{(int)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}"
            : $"{(int)left.TotalMinutes}:{left.Seconds:00}";
    }
}
