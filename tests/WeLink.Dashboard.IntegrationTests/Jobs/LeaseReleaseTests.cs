using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Jobs;

namespace WeLink.Dashboard.IntegrationTests.Jobs;

/// <summary>
/// A graceful stop leaves no lease of this instance behind, even one whose take a stopping job had stopped
/// waiting for: the writer still makes such a take, and another instance would wait for it to expire.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class LeaseReleaseTests
{
    private const string Job = "lease-release-test";

    [Fact]
    public async Task Stop_WhileATakeTheJobStoppedWaitingForIsStillQueued_LeavesNoLease()
    {
        // Hour-long leases: no renewal is queued while the test holds the writer.
        using var app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?> { ["Jobs:LeaseSeconds"] = "3600" });
        var writer = app.Services.GetRequiredService<DashboardWriter>();
        var leases = app.Services.GetRequiredService<JobLeases>();
        using var writerHeld = new ManualResetEventSlim();
        using var releaseWriter = new ManualResetEventSlim();
        try
        {
            var holding = writer.ExecuteAsync(new WriterHold(writerHeld, releaseWriter));
            Assert.True(writerHeld.Wait(TimeSpan.FromSeconds(20)), "the writer never took the first operation");

            // The job asks for its lease; the take waits behind the held writer, and the job stops waiting for it.
            using var jobStopping = new CancellationTokenSource();
            var queuedBefore = writer.Queued;
            var take = leases.TryHoldAsync(Job, jobStopping.Token);
            await Poll.UntilAsync(() => Task.FromResult(writer.Queued), n => n > queuedBefore, TimeSpan.FromSeconds(20), "the take to be queued");
            await jobStopping.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take);

            var stopping = leases.StopAsync(CancellationToken.None);
            releaseWriter.Set();
            await holding;
            await stopping.WaitAsync(TimeSpan.FromSeconds(20));

            // Whatever was queued has been written by now: the take, and the release after it.
            await writer.ExecuteAsync(new WriterHold(new ManualResetEventSlim(), releaseWriter)).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0L, app.Scalar<long>("SELECT COUNT(*) FROM JobLeases WHERE Name = @n", ("n", Job)));
            Assert.False(leases.Holds(Job));
        }
        finally
        {
            releaseWriter.Set();
        }
    }
}
