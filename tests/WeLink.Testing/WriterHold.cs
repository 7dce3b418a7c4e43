using WeLink.Dashboard.Data;

namespace WeLink.Testing;

/// <summary>A write operation that says it started, then holds the writer's thread until released (at most a minute).</summary>
public sealed class WriterHold(ManualResetEventSlim started, ManualResetEventSlim release) : WriteOperation<bool>
{
    public override bool Apply(WriteSession session)
    {
        started.Set();
        return release.Wait(TimeSpan.FromSeconds(60));
    }
}
