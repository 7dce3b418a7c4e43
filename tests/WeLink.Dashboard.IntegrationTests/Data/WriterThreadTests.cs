using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The writer's batches block on their statements and their fsync. They run on a thread of the writer's own, which
/// the kernel wakes when an operation is queued, not on the thread pool, where a batch waited behind whatever the pool
/// had queued first (page reloads and renders, request handlers). That thread takes the nice value
/// <c>Ingest:WriterNice</c> names (by default none: the process's own).
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class WriterThreadTests
{
    [Fact]
    public async Task Batches_RunOnTheWritersOwnThread_NotOnTheThreadPool()
    {
        using var app = DashboardApp.StartInTempDirectory();
        var writer = app.Services.GetRequiredService<DashboardWriter>();

        // Alone, then many at once (batches of several): every one is applied on the same dedicated thread.
        var first = await writer.ExecuteAsync(new WhereApplied());
        var many = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => writer.ExecuteAsync(new WhereApplied()))));

        Assert.False(first.OnThreadPool);
        Assert.Equal("Dashboard writer", first.ThreadName);
        Assert.All(many, w => Assert.Equal(first, w));
    }

    [Fact]
    public async Task WriterNice_ByDefault_WriterKeepsTheProcessesOwnValue()
    {
        using var app = DashboardApp.StartInTempDirectory();

        var seen = await app.Services.GetRequiredService<DashboardWriter>().ExecuteAsync(new WhereApplied());

        Assert.Equal(OwnNice(), seen.Nice);
    }

    [Fact]
    public async Task WriterNice_Lowered_WriterThreadTakesIt()
    {
        // Lowering a thread's priority needs no privilege, so this holds for any user.
        using var app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?> { ["Ingest:WriterNice"] = "7" });

        var seen = await app.Services.GetRequiredService<DashboardWriter>().ExecuteAsync(new WhereApplied());

        Assert.Equal(7, seen.Nice);
        Assert.Equal("Dashboard writer", seen.ThreadName);
    }

    [Fact]
    public async Task WriterNice_Raised_WriterRunsBeforeOtherThreads_WhenTheProcessMayRaiseIt()
    {
        using var app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?> { ["Ingest:WriterNice"] = "-5" });

        var seen = await app.Services.GetRequiredService<DashboardWriter>().ExecuteAsync(new WhereApplied());

        // Raising a thread's priority needs CAP_SYS_NICE, which root has; without it the writer keeps the process's own value
        // (and logs it), and goes on writing.
        Assert.Equal(Environment.UserName == "root" ? -5 : OwnNice(), seen.Nice);
    }

    /// <summary>The nice value of the calling thread, from the kernel (field 19 of its stat).</summary>
    private static int OwnNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
    }

    private sealed record ThreadSeen(bool OnThreadPool, string? ThreadName, int ManagedThreadId, int Nice);

    private sealed class WhereApplied : WriteOperation<ThreadSeen>
    {
        public override ThreadSeen Apply(WriteSession session) =>
            new(Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name, Environment.CurrentManagedThreadId, OwnNice());
    }
}
