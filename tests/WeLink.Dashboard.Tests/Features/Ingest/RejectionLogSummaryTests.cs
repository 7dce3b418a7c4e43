using WeLink.Dashboard.Features.Ingest;

namespace WeLink.Dashboard.Tests.Features.Ingest;

public class RejectionLogSummaryTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void TakeIfDue_ManyRefusalsWithinAMinute_OneSummaryWithCountsPerReason()
    {
        var time = new ManualTime();
        var summary = new RejectionLogSummary(time);
        for (var i = 0; i < 120; i++) summary.Count("bad-signature");
        for (var i = 0; i < 3; i++) summary.Count("not-json");

        time.Now += TimeSpan.FromSeconds(59);
        Assert.Null(summary.TakeIfDue());

        time.Now += TimeSpan.FromSeconds(1);
        var due = summary.TakeIfDue();
        Assert.NotNull(due);
        Assert.Equal(123, due.Value.Total);
        Assert.Equal("bad-signature=120, not-json=3", due.Value.Reasons);

        // Counted once: the next minute starts from zero.
        time.Now += TimeSpan.FromMinutes(1);
        Assert.Null(summary.TakeIfDue());
    }
}
