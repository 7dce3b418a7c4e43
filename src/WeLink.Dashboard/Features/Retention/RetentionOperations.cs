using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Retention;

/// <summary>A delete of at most <c>batch</c> rows older than the cut-off; answers how many went.</summary>
internal abstract class BatchedDelete(long cutoff, int batch) : WriteOperation<int>
{
    protected long Cutoff { get; } = cutoff;
    protected int Batch { get; } = batch;

    /// <summary>The same delete for the next batch.</summary>
    public abstract BatchedDelete Next();
}

/// <summary>Oldest events first, and each account's event count down by its deleted events.</summary>
internal sealed class DeleteExpiredEvents(long cutoff, int batch) : BatchedDelete(cutoff, batch)
{
    public override BatchedDelete Next() => new DeleteExpiredEvents(Cutoff, Batch);

    public override int Apply(WriteSession session) => session.DeleteOldestEvents(Cutoff, Batch);
}

/// <summary>The tables retention trims besides the log, in the order it trims them.</summary>
internal static class ExpiredRows
{
    public static readonly ExpiringTable[] Tables = Enum.GetValues<ExpiringTable>();
}

internal sealed class DeleteExpiredRows(ExpiringTable table, long cutoff, int batch) : BatchedDelete(cutoff, batch)
{
    public override BatchedDelete Next() => new DeleteExpiredRows(table, Cutoff, Batch);

    public override int Apply(WriteSession session) => session.DeleteExpiredRows(table, Cutoff, Batch);
}

/// <summary>Hands up to <c>pages</c> free pages back to the file system; answers (freed, still free).</summary>
internal sealed class ReclaimFreePages(int pages) : WriteOperation<(long, long)>
{
    public override (long, long) Apply(WriteSession session) => session.ReclaimFreePages(pages);
}
