using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Retention;

/// <summary>What one retention pass removed.</summary>
public sealed record RetentionReport(long Cutoff, long Events, long OtherRows, long PagesReclaimed);
