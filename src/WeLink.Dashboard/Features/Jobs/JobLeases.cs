using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;

namespace WeLink.Dashboard.Features.Jobs;

/// <summary>
/// Leases in the database that let one instance at a time run a job (PIN expiry, retention, alert
/// sending...). A job asks <see cref="TryHoldAsync"/> before each run and skips the run on false. This
/// instance renews what it holds every third of <c>Jobs:LeaseSeconds</c>, so a lease stays with its holder
/// while it lives; a graceful stop releases them at once, a holder that died loses them when they expire.
/// SQLite's single instance takes them too (always free for it), so both providers run the same code.
/// </summary>
public sealed class JobLeases(
    DashboardWriter writer,
    IDbContextFactory<DashboardDbContext> contexts,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobLeases> logger) : BackgroundService
{
    /// <summary>How often a job that another instance holds looks whether the lease came free (a read, not a write).</summary>
    public TimeSpan RetryInterval { get; } = TimeSpan.FromMilliseconds(Math.Min(1000, options.Value.Lease.TotalMilliseconds / 3));

    private readonly long _leaseMs = (long)options.Value.Lease.TotalMilliseconds;
    // Renewed when less than two thirds of the lease is left, i.e. every third of it.
    private long RenewBeforeMs => _leaseMs * 2 / 3;

    /// <summary>Until when (this process's clock, counted from before the write) each lease we hold surely stands.</summary>
    private readonly ConcurrentDictionary<string, long> _heldUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _nextLook = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    /// <summary>This instance in the lease table: machine, process and a random part (a restarted process is a new holder).</summary>
    public string Holder { get; } = NewHolder();

    private static string NewHolder()
    {
        var holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return holder.Length > 200 ? holder[^200..] : holder;
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Whether this instance holds the lease now (as far as it knows).</summary>
    public bool Holds(string name) => _heldUntil.TryGetValue(name, out var until) && until > NowMs;

    /// <summary>Runs of the job that this instance skipped because another one held its lease.</summary>
    public long SkippedRuns(string name) => _skipped.GetValueOrDefault(name);

    /// <summary>
    /// True when this instance holds (or has just taken) the job's lease: run it. False when another
    /// instance holds it, or this one is stopping: skip this run.
    /// </summary>
    public async Task<bool> TryHoldAsync(string name, CancellationToken cancellationToken)
    {
        if (_stopping) return false;
        var now = NowMs;
        if (_heldUntil.TryGetValue(name, out var until))
        {
            if (until - now > RenewBeforeMs) return true;
            return await TakeAsync(name, cancellationToken);
        }
        if (_nextLook.TryGetValue(name, out var next) && now < next) return Skip(name);
        _nextLook[name] = now + (long)RetryInterval.TotalMilliseconds;
        // A read first: while another instance holds the lease, looking costs the writer nothing.
        if (await HeldElsewhereAsync(name, now, cancellationToken)) return Skip(name);
        return await TakeAsync(name, cancellationToken);
    }

    private async Task<bool> HeldElsewhereAsync(string name, long now, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.JobLeases.AsNoTracking().AnyAsync(l => l.Name == name && l.Holder != Holder && l.ExpiresAt > now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Cannot tell: the write below decides (and fails the same way when the database is away).
            logger.LogDebug("The {Job} job's lease could not be read: {Error}", name, ex.Message);
            return false;
        }
    }

    private async Task<bool> TakeAsync(string name, CancellationToken cancellationToken)
    {
        var asked = NowMs;
        bool taken;
        try
        {
            taken = await writer.ExecuteAsync(new TakeLease(name, Holder, _leaseMs), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No answer (the database is unavailable): go on only while the lease we had surely still stands,
            // so two never run at once. A job must never die of its lease.
            logger.LogDebug("The {Job} job's lease could not be written: {Error}", name, ex.Message);
            return Holds(name) || Skip(name);
        }
        if (taken && _stopping)
        {
            // Taken while this instance was stopping (the take was under way when the leases were released):
            // give it back now, or the other instance would wait for it to expire.
            await ReleaseAfterStopAsync();
            return false;
        }
        if (taken)
        {
            if (!_heldUntil.ContainsKey(name)) logger.LogInformation("This instance now runs the {Job} job", name);
            _heldUntil[name] = asked + _leaseMs;
            return true;
        }
        if (_heldUntil.TryRemove(name, out _)) logger.LogWarning("The {Job} job's lease went to another instance; this one stops running it", name);
        else if (SkippedRuns(name) == 0) logger.LogInformation("Another instance runs the {Job} job; this one waits", name);
        _nextLook[name] = NowMs + (long)RetryInterval.TotalMilliseconds;
        return Skip(name);
    }

    private bool Skip(string name)
    {
        _skipped.AddOrUpdate(name, 1, (_, n) => n + 1);
        return false;
    }

    /// <summary>Renews every lease held, every third of the lease, whether or not its job ran meanwhile (a job may tick once an hour).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(100, _leaseMs / 3)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var name in _heldUntil.Keys)
                    if (_heldUntil.TryGetValue(name, out var until) && until - NowMs <= RenewBeforeMs) await TakeAsync(name, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Releases this instance's leases once its jobs have stopped (they stop first: they were registered
    /// after this service, and hosted services stop in reverse order; the writer, registered before, still runs).
    /// Always, even when this instance knows of none: a job stopped while its take was queued stops waiting
    /// for it, but the writer still makes the take, and this release, queued after it, undoes it.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken);
        _heldUntil.Clear();
        await ReleaseAfterStopAsync();
    }

    private async Task ReleaseAfterStopAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var released = await writer.ExecuteAsync(new ReleaseLeases(Holder), timeout.Token);
            logger.LogInformation("Released {Count} job leases", released);
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or OperationCanceledException)
        {
            // They expire on their own.
            logger.LogWarning("Job leases not released ({Error}); another instance takes them when they expire", ex.Message);
        }
    }

    private sealed class TakeLease(string name, string holder, long leaseMs) : WriteOperation<bool>
    {
        public override bool Apply(WriteSession session)
        {
            var now = session.NowMs;
            return session.TryTakeLease(name, holder, now, now + leaseMs);
        }
    }

    private sealed class ReleaseLeases(string holder) : WriteOperation<int>
    {
        public override int Apply(WriteSession session) => session.ReleaseLeases(holder);
    }
}
