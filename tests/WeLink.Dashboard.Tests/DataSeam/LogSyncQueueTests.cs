using WeLink.Dashboard.Data;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Tests.DataSeam;

/// <summary>The hand-off between the writer's thread and the thread that syncs the log and answers the batches.</summary>
public sealed class LogSyncQueueTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A committed batch told apart by its number (the session is not used by the queue).</summary>
    private static CommittedBatch Batch(int number) => new(null!, [], [number], [], new List<LiveChange>());

    private static int Number(CommittedBatch batch) => (int)batch.Results[0]!;

    [Fact]
    public void Run_BatchesAddedDuringATurn_NextTurnTakesThemAllInCommitOrder()
    {
        var queue = new LogSyncQueue();
        var turns = new List<int[]>();
        using var firstTurnStarted = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        var runner = new Thread(() => queue.Run(batches =>
        {
            lock (turns) turns.Add(batches.Select(Number).ToArray());
            firstTurnStarted.Set();
            release.Wait(WaitTimeout);
        }));
        runner.Start();

        queue.Add(Batch(1));
        Assert.True(firstTurnStarted.Wait(WaitTimeout));
        queue.Add(Batch(2));
        queue.Add(Batch(3));
        Assert.Equal(3, queue.Waiting); // batch 1 in the turn, 2 and 3 queued
        release.Set();
        queue.WaitIdle();
        queue.Stop();
        Assert.True(runner.Join(WaitTimeout));

        Assert.Equal([[1], [2, 3]], turns);
    }

    [Fact]
    public async Task WaitIdle_WhileATurnHoldsABatch_ReturnsOnlyOnceThatTurnHasEnded()
    {
        var queue = new LogSyncQueue();
        using var started = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        var ended = 0;
        var runner = new Thread(() => queue.Run(_ =>
        {
            started.Set();
            release.Wait(WaitTimeout);
            Volatile.Write(ref ended, 1);
        }));
        runner.Start();
        queue.Add(Batch(1));
        Assert.True(started.Wait(WaitTimeout));

        var releaser = Task.Run(release.Set);
        queue.WaitIdle();

        Assert.Equal(1, Volatile.Read(ref ended));
        Assert.Equal(0, queue.Waiting);
        await releaser.WaitAsync(WaitTimeout);
        queue.Stop();
        Assert.True(runner.Join(WaitTimeout));
    }

    [Fact]
    public void Stop_WithBatchesQueued_RunHandlesThemThenEnds_AndNoMoreMayBeAdded()
    {
        var queue = new LogSyncQueue();
        queue.Add(Batch(1));
        queue.Add(Batch(2));
        queue.Stop();
        var handled = new List<int>();

        queue.Run(batches => handled.AddRange(batches.Select(Number)));

        Assert.Equal([1, 2], handled);
        Assert.Throws<InvalidOperationException>(() => queue.Add(Batch(3)));
    }
}
