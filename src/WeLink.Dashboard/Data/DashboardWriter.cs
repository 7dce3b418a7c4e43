using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Data;

/// <summary>A unit of work for the single writer; runs inside the batch's transaction. Derive from <see cref="WriteOperation{TResult}"/>.</summary>
public abstract class WriteOperation
{
    private readonly TaskCompletionSource<object?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected WriteOperation()
    {
    }

    internal Task<object?> Completion => _done.Task;

    /// <summary>When the operation was queued (a <see cref="Stopwatch"/> timestamp), for the time it waited.</summary>
    internal long QueuedAt { get; set; }

    /// <summary>Applies the change, boxed for the writer's batch.</summary>
    internal abstract object? ApplyBoxed(WriteSession session);

    /// <summary>
    /// Names what the operation will write that another instance may write at the same moment (see
    /// <see cref="WriteLocks"/>): the batch takes these locks first, all of them, in one sorted order.
    /// </summary>
    internal virtual void CollectLockKeys(List<long> keys)
    {
    }

    internal void Complete(object? result) => _done.TrySetResult(result);
    internal void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>A unit of work whose result the caller gets once its batch has committed.</summary>
public abstract class WriteOperation<TResult> : WriteOperation
{
    /// <summary>Applies the change; returns its result and may queue live changes to publish after commit.</summary>
    public abstract TResult Apply(WriteSession session);

    internal sealed override object? ApplyBoxed(WriteSession session) => Apply(session);
}

/// <summary>The database could not take the write; the caller answers 503 so We-Link retries.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one writer of this process (on SQLite, of the file; on PostgreSQL other instances may write too,
/// see <see cref="SqlDialect.ForUpdate"/>). Operations queue up while a batch commits and are then
/// committed together (group commit): one transaction and one disk sync per batch instead of per
/// request. A batch runs straight through; when one operation fails, the batch is rolled back and redone
/// with a savepoint per operation, so one failing operation does not sink the others.
/// An operation's task completes only after its batch has committed and is durable. On SQLite (on Linux) the commit
/// writes the log and a thread of its own syncs it (<see cref="LogSyncQueue"/>): the writer goes on with the next batch
/// while the disk takes the last one, and a batch's callers are answered, and its live changes published, once a sync
/// that began after its commit has returned. On PostgreSQL a batch that collides
/// with another instance's (deadlock, serialization failure) is rolled back and redone a few times before
/// its callers are told the database is unavailable.
/// </summary>
public sealed class DashboardWriter(
    DashboardDatabase database,
    LiveFeed feed,
    TimeProvider time,
    IOptions<IngestOptions> ingestOptions,
    ILogger<DashboardWriter> logger) : BackgroundService
{
    public const int MaxBatch = 256;

    /// <summary>How many times a batch is tried when it collides with another writer.</summary>
    public const int MaxAttempts = 5;

    private int _checkpointWanted;

    private readonly LogSyncQueue _syncQueue = new();

    /// <summary>Set by the sync thread when the log could not be synced: the writer opens a new session before its next batch.</summary>
    private int _logSyncFailed;

    /// <summary>Tests only: runs on the sync thread before each sync of the log (it may block, or throw as a failed sync would).</summary>
    internal Action? BeforeLogSync { get; set; }

    /// <summary>
    /// Asks the writer to finish a WAL checkpoint between two batches (SQLite). The checkpointer copies the log
    /// into the file beside the writer, but while batches keep committing it never reaches the log's end, and
    /// SQLite starts the log over only when a checkpoint has: under steady ingest the log grew by tens of MB a
    /// second, without end. Run on the writer's own connection, with no batch in between, the checkpoint copies
    /// only what was committed since the checkpointer's pass and reaches the end; the next batch then writes the
    /// log from its start again (and cuts it back to <see cref="WriteSession.WalSizeLimitBytes"/>).
    /// </summary>
    public void RequestCheckpoint() => Volatile.Write(ref _checkpointWanted, 1);

    private readonly Channel<WriteOperation> _queue = Channel.CreateBounded<WriteOperation>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Operations queued and not yet taken by the writer's thread.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Set after every queued operation; the writer's thread sleeps on it when the queue is empty.</summary>
    private readonly ManualResetEventSlim _queuedSignal = new(false);

    /// <summary>Queues <paramref name="operation"/> and waits until its batch has committed.</summary>
    public Task<T> ExecuteAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken = default) =>
        QueueAndWaitAsync<T>(operation, cancellationToken);

    /// <summary>As <see cref="ExecuteAsync{T}(WriteOperation{T}, CancellationToken)"/>, for a caller that holds the untyped base.</summary>
    public Task<T> ExecuteAsync<T>(WriteOperation operation, CancellationToken cancellationToken = default) =>
        QueueAndWaitAsync<T>(operation, cancellationToken);

    private async Task<T> QueueAndWaitAsync<T>(WriteOperation operation, CancellationToken cancellationToken)
    {
        operation.QueuedAt = Stopwatch.GetTimestamp();
        await _queue.Writer.WriteAsync(operation, cancellationToken);
        _queuedSignal.Set();
        return (T)(await operation.Completion.WaitAsync(cancellationToken))!;
    }

    /// <summary>
    /// The writer runs on a thread of its own, not on the thread pool: a batch's statements and its fsync block a
    /// thread for milliseconds, and a writer on the pool resumed only once a pool thread was free, after whatever the
    /// pool had queued before it (page reloads and renders, request handlers). Its own thread is woken by the kernel as
    /// soon as an operation is queued.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                SetNice(ingestOptions.Value.WriterNice);
                RunBatches(stoppingToken);
                stopped.TrySetResult();
            }
            catch (Exception ex)
            {
                stopped.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Dashboard writer",
        };
        var syncThread = new Thread(() => _syncQueue.Run(SyncAndAnswer))
        {
            IsBackground = true,
            Name = "Dashboard log sync",
        };
        syncThread.Start();
        thread.Start();
        return stopped.Task;
    }

    /// <summary>The writer thread's scheduling priority (<see cref="IngestOptions.WriterNice"/>), on Linux; 0 changes nothing.</summary>
    private void SetNice(int nice)
    {
        // 0 leaves the writer at the process's own value (which a start under `nice` may have set).
        if (!OperatingSystem.IsLinux() || nice == 0 || nice == ThreadNice.Current()) return;
        var (set, now, error) = ThreadNice.TrySetCurrent(nice);
        if (set) logger.LogDebug("The writer thread runs at nice {Nice}", nice);
        else logger.LogInformation(
            "The writer thread could not take nice {Nice} ({Error}: raising a thread's priority needs CAP_SYS_NICE) and runs at {Now}, the process's own; Ingest:WriterNice 0 keeps that without this message",
            nice, error, now);
    }

    /// <summary>How long a stopping writer goes on committing what is queued (other services' last writes, e.g. releasing job leases).</summary>
    public static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);

    /// <summary>A stopping writer stops once nothing was queued for this long (or at <see cref="DrainOnStop"/>).</summary>
    public static readonly TimeSpan QuietOnStop = TimeSpan.FromMilliseconds(200);

    private long _drainUntil;

    /// <summary>
    /// Takes up to <see cref="MaxBatch"/> queued operations; sleeps until one is queued when there are none. Once stopping,
    /// it goes on taking what is queued until nothing has come for <see cref="QuietOnStop"/>, for at most
    /// <see cref="DrainOnStop"/>: services that stop beside it (the host may stop them concurrently) still get their last
    /// writes committed instead of failed.
    /// </summary>
    private void TakeBatch(List<WriteOperation> batch, CancellationToken stoppingToken)
    {
        batch.Clear();
        while (true)
        {
            var stopping = stoppingToken.IsCancellationRequested;
            if (stopping)
            {
                if (_drainUntil == 0) _drainUntil = Stopwatch.GetTimestamp() + (long)(DrainOnStop.TotalSeconds * Stopwatch.Frequency);
                if (Stopwatch.GetTimestamp() > _drainUntil) stoppingToken.ThrowIfCancellationRequested();
            }
            // Reset before reading: an operation queued after this point sets the signal again, so none is slept past.
            _queuedSignal.Reset();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var operation)) batch.Add(operation);
            if (batch.Count > 0) return;
            if (stopping)
            {
                if (!_queuedSignal.Wait(QuietOnStop)) stoppingToken.ThrowIfCancellationRequested();
                continue;
            }
            try
            {
                _queuedSignal.Wait(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The stop came while the queue was empty: the next turn waits a quiet moment for last writes first.
            }
        }
    }

    private void RunBatches(CancellationToken stoppingToken)
    {
        var batch = new List<WriteOperation>(MaxBatch);
        WriteSession? session = null;
        try
        {
            while (true)
            {
                TakeBatch(batch, stoppingToken);
                var start = Stopwatch.GetTimestamp();
                if (Interlocked.Exchange(ref _logSyncFailed, 0) == 1) CloseSession(ref session);
                try
                {
                    session ??= WriteSession.Open(database, time, syncLogApart: true);
                    CommitBatch(session, batch);
                    if (Interlocked.Exchange(ref _checkpointWanted, 0) == 1) FinishCheckpoint(session);
                    IngestMetrics.Record(IngestMetrics.WriterBatch, IngestMetrics.WriterBatchStage, start);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or TimeoutException)
                {
                    logger.LogWarning("Database write failed for a batch of {Count}: {Error}", batch.Count, ex.Message);
                    CloseSession(ref session);
                    // The next session must not be lent another connection the server already dropped.
                    if (database.Provider == DatabaseProvider.PostgreSQL) PostgreSql.PostgreSqlDatabase.ForgetIdleConnections(database.ConnectionString);
                    var unavailable = new DatabaseUnavailableException("The database is unavailable.", ex);
                    foreach (var operation in batch) operation.Fail(unavailable);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            CloseSession(ref session);
            _syncQueue.Stop();
            var stopping = new DatabaseUnavailableException("The dashboard is stopping.");
            while (_queue.Reader.TryRead(out var left)) left.Fail(stopping);
        }
    }

    /// <summary>Closes the writer's session once the batches it committed have been synced and answered.</summary>
    private void CloseSession(ref WriteSession? session)
    {
        _syncQueue.WaitIdle();
        session?.Dispose();
        session = null;
    }

    /// <summary>
    /// The sync thread's turn (<see cref="LogSyncQueue.Run"/>): one sync of the log for the batches committed since the
    /// last, then their callers answered and their live changes published, in commit order. When the sync fails, the
    /// batches are committed but may not survive a power cut: their callers are told the database is unavailable (a
    /// webhook is answered 503 and redelivered, then found stored) and the writer opens a new session.
    /// </summary>
    private void SyncAndAnswer(List<CommittedBatch> batches)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            BeforeLogSync?.Invoke();
            // One session's batches: the writer closes a session only once nothing waits on its log (CloseSession).
            batches[0].Session.SyncLog();
        }
        catch (Exception ex)
        {
            logger.LogWarning("The database's log could not be synced for {Count} committed batches: {Error}", batches.Count, ex.Message);
            Volatile.Write(ref _logSyncFailed, 1);
            var unavailable = new DatabaseUnavailableException("The database could not make the write durable.", ex);
            foreach (var batch in batches)
            {
                foreach (var operation in batch.Operations) operation.Fail(unavailable);
            }
            return;
        }
        IngestMetrics.Record(IngestMetrics.LogSync, IngestMetrics.LogSyncStage, start);
        foreach (var batch in batches) Answer(batch.Operations, batch.Results, batch.Failures, batch.Published);
    }

    /// <summary>
    /// See <see cref="RequestCheckpoint"/>. The batch before it is committed (its callers answered, or waiting on the
    /// log's sync beside it). A checkpoint that did not reach the log's end (the checkpointer's own pass was running, or
    /// a reader's snapshot held it back) is tried again after the next batch; one that fails is left to the next request.
    /// </summary>
    private void FinishCheckpoint(WriteSession session)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (!session.CheckpointWal()) RequestCheckpoint();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException)
        {
            logger.LogDebug("WAL checkpoint on the writer skipped: {Error}", ex.Message);
        }
        IngestMetrics.Record(IngestMetrics.Checkpoint, IngestMetrics.CheckpointStage, start);
    }

    private void CommitBatch(WriteSession session, List<WriteOperation> batch)
    {
        var results = new object?[batch.Count];
        var failures = new Exception?[batch.Count];
        if (IngestMetrics.Queued.Enabled || IngestMetrics.StageTime.Enabled)
        {
            foreach (var operation in batch) IngestMetrics.Record(IngestMetrics.Queued, IngestMetrics.QueuedStage, operation.QueuedAt);
        }
        IngestMetrics.BatchSize.Record(batch.Count);
        // The common case runs the batch straight through: a SAVEPOINT/RELEASE pair per operation
        // costs two statements each. Only a batch in which an operation fails is redone one by one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!TryCommitTogether(session, batch, results)) CommitOneByOne(session, batch, results, failures);
                break;
            }
            catch (Exception ex) when (DatabaseErrors.IsConflict(ex) && attempt < MaxAttempts)
            {
                // Rolled back: nothing of it is stored, nobody was answered. A short random pause lets
                // the other writer's transaction finish first.
                logger.LogInformation("A batch of {Count} collided with another writer ({Error}); attempt {Attempt} of {Max}",
                    batch.Count, ex.Message, attempt + 1, MaxAttempts);
                Array.Clear(results);
                Array.Clear(failures);
                Thread.Sleep(Random.Shared.Next(5, 20 * attempt));
            }
        }

        if (session.SyncsLogApart) _syncQueue.Add(new CommittedBatch(session, [.. batch], results, failures, session.TakePublished()));
        else Answer(batch, results, failures, session.TakePublished());
    }

    /// <summary>Releases a durable batch's callers, then queues its live changes.</summary>
    private void Answer(IReadOnlyList<WriteOperation> batch, object?[] results, Exception?[] failures, List<LiveChange> published)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure) batch[i].Fail(failure);
            else batch[i].Complete(results[i]);
        }
        // The feed only queues: pages and the hub consume on their own thread, after the batch's callers are released.
        foreach (var change in published) feed.Publish(change);
        IngestMetrics.Record(IngestMetrics.Publish, IngestMetrics.PublishStage, start);
    }

    /// <summary>Applies the whole batch in one transaction; false (nothing committed) when an operation failed on its own.</summary>
    private bool TryCommitTogether(WriteSession session, List<WriteOperation> batch, object?[] results)
    {
        session.Begin(batch);
        try
        {
            for (var i = 0; i < batch.Count; i++) results[i] = Apply(session, batch[i]);
        }
        catch (Exception ex) when (DatabaseErrors.IsTrouble(ex))
        {
            session.Rollback();
            throw;
        }
        catch (Exception ex)
        {
            session.Rollback();
            logger.LogDebug(ex, "A batch of {Count} is redone one operation at a time", batch.Count);
            Array.Clear(results);
            return false;
        }
        try
        {
            session.Commit();
        }
        catch
        {
            session.Rollback();
            throw;
        }
        return true;
    }

    /// <summary>Each operation in its own savepoint, so the failing one is rolled back and the others commit.</summary>
    private void CommitOneByOne(WriteSession session, List<WriteOperation> batch, object?[] results, Exception?[] failures)
    {
        session.Begin(batch);
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                session.Savepoint();
                try
                {
                    results[i] = Apply(session, batch[i]);
                    session.Release();
                }
                catch (Exception ex) when (DatabaseErrors.IsTrouble(ex))
                {
                    throw;
                }
                catch (Exception ex)
                {
                    session.RollbackToSavepoint();
                    logger.LogError(ex, "A {Operation} failed and was rolled back", batch[i].GetType().Name);
                    failures[i] = ex;
                }
            }
            session.Commit();
        }
        catch
        {
            session.Rollback();
            throw;
        }
    }

    private static object? Apply(WriteSession session, WriteOperation operation)
    {
        var start = Stopwatch.GetTimestamp();
        var result = operation.ApplyBoxed(session);
        IngestMetrics.RecordApply(operation.GetType(), start);
        return result;
    }
}
