using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Data;

/// <summary>A batch committed by the writer and not yet answered: its callers and live changes wait for the log's sync.</summary>
internal sealed record CommittedBatch(
    WriteSession Session,
    WriteOperation[] Operations,
    object?[] Results,
    Exception?[] Failures,
    List<LiveChange> Published);

/// <summary>
/// Hands committed batches from the writer's thread to the thread that syncs the log and then answers them. The writer
/// goes on with its next batch while the disk takes the last one; one sync answers every batch committed before it
/// began, in commit order. <see cref="WaitIdle"/> lets the writer close a session only once nothing waits on its log.
/// </summary>
internal sealed class LogSyncQueue
{
    // A monitor, not a Lock: the sync thread and WaitIdle sleep on it (Monitor.Wait).
    private readonly object _gate = new();
    private List<CommittedBatch> _pending = [];
    private List<CommittedBatch> _taken = [];
    private bool _syncing;
    private bool _stopped;

    /// <summary>Batches committed and not yet answered (queued or in the sync running now).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _pending.Count + (_syncing ? _taken.Count : 0);
        }
    }

    public void Add(CommittedBatch batch)
    {
        lock (_gate)
        {
            if (_stopped) throw new InvalidOperationException("The log's sync has stopped.");
            _pending.Add(batch);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until every batch added so far has been synced and answered.</summary>
    public void WaitIdle()
    {
        lock (_gate)
        {
            while (_pending.Count > 0 || _syncing) Monitor.Wait(_gate);
        }
    }

    /// <summary>Ends <see cref="Run"/> once what is queued has been handled.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The sync thread's loop: takes every batch queued, hands them to <paramref name="syncAndAnswer"/> (which must not throw), until stopped.</summary>
    public void Run(Action<List<CommittedBatch>> syncAndAnswer)
    {
        while (true)
        {
            lock (_gate)
            {
                while (_pending.Count == 0 && !_stopped) Monitor.Wait(_gate);
                if (_pending.Count == 0) return;
                (_pending, _taken) = (_taken, _pending);
                _syncing = true;
            }
            try
            {
                syncAndAnswer(_taken);
            }
            finally
            {
                lock (_gate)
                {
                    _taken.Clear();
                    _syncing = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
