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

    /// <summary>
    /// The writer thread's Linux nice value (-20 to 19; lower runs first, 0 is every other thread's). Below zero, the
    /// writer goes before page renders, request parsing and anything else on the machine when they compete for a core, so
    /// that open pages do not hold up acknowledgements. It needs <c>CAP_SYS_NICE</c> (root has it); without it the writer
    /// keeps the process's own value and the log says so once.
    /// </summary>
    [Range(-20, 19)]
    public int WriterNice { get; set; } = -10;
}
