using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The writer's batches block on their statements and their fsync. They run on a thread of the writer's own, which
/// the kernel wakes when an operation is queued, not on the thread pool, where a batch waited behind whatever the pool
/// had queued first (page reloads and renders, request handlers).
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class WriterThreadTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Batches_RunOnTheWritersOwnThread_NotOnTheThreadPool()
    {
        var writer = _app.Services.GetRequiredService<DashboardWriter>();

        // Alone, then many at once (batches of several): every one is applied on the same dedicated thread.
        var first = await writer.ExecuteAsync(new WhereApplied());
        var many = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => writer.ExecuteAsync(new WhereApplied()))));

        Assert.False(first.OnThreadPool);
        Assert.Equal("Dashboard writer", first.ThreadName);
        Assert.All(many, w => Assert.Equal(first, w));
    }

    private sealed record ThreadSeen(bool OnThreadPool, string? ThreadName, int ManagedThreadId);

    private sealed class WhereApplied : WriteOperation<ThreadSeen>
    {
        public override ThreadSeen Apply(WriteSession session) =>
            new(Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name, Environment.CurrentManagedThreadId);
    }
}
