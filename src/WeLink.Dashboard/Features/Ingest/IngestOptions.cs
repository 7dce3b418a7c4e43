using System.ComponentModel.DataAnnotations;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>The <c>Ingest</c> section.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted webhook body; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a request waits for its batch to commit before answering 503.</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Events older than this many days are deleted, with the counters and history rows of those hours.</summary>
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 90;
}
