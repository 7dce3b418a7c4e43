using System.ComponentModel.DataAnnotations;

namespace WeLink.Dashboard.Features.Retention;

/// <summary>
/// Retention's key, <c>Ingest:RetentionDays</c>: it sits in the <c>Ingest</c> section because
/// that is where operators already set it, but Retention reads it through its own options.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Ingest";

    /// <summary>Events older than this many days are deleted, with the counters and history rows of those hours.</summary>
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 90;
}
