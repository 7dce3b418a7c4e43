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
    /// The writer thread's Linux nice value (-20 to 19; lower runs first; 0, the default, leaves it at the process's own, like every other thread). Below
    /// zero the writer goes first when other processes compete for the cores (a browser on the same machine): measured
    /// with ten open pages in Chromium beside the dashboard on two cores, -10 cut the acknowledgement p99 at 1,000 events/s
    /// by about 2.5×. When the dashboard alone fills its cores it costs more than it gives: the writer then takes the CPU
    /// that parses requests and pushes live events (on one core: push p99 ×10, ingest 0.75×). Raising the priority needs
    /// <c>CAP_SYS_NICE</c> (root has it); without it the writer keeps the process's own value and the log says so once.
    /// </summary>
    [Range(-20, 19)]
    public int WriterNice { get; set; }
}
