using System.ComponentModel.DataAnnotations;

namespace WeLink.Dashboard.Features.Jobs;

/// <summary>The <c>Jobs</c> section: how background jobs that must run once share the work among instances.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a job's lease lasts without renewal: the holder renews it every third of this; an instance
    /// that dies hands its jobs over after at most this long.
    /// </summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
