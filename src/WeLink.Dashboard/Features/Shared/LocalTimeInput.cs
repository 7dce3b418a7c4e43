using System.Globalization;

namespace WeLink.Dashboard.Features.Shared;

/// <summary>A <c>datetime-local</c> input's value in the operator's zone, both ways.</summary>
public static class LocalTimeInput
{
    public static string? Format(DateTimeOffset? at, TimeSpan offset) =>
        at?.ToOffset(offset).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>The instant the operator typed, or null when the input is empty or not a time.</summary>
    public static DateTimeOffset? Parse(string? text, TimeSpan offset)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime()
            : null;
    }
}
