using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// Delivers the outbox. Reads on its own connections and only hands the writer short operations
/// (fan-out, one row per attempt), so a channel that is down slows nothing but itself. One loop per
/// channel; within a channel, an account's deliveries go in order: while its oldest waits for a
/// retry, its later ones wait too. Delivery is at least once (a crash between a 2xx and its record
/// sends again, with the same <c>X-Alert-Id</c>); a restart resumes from the table.
/// </summary>
public sealed class AlertSender(
    DashboardWriter writer,
    JobLeases leases,
    IDbContextFactory<DashboardDbContext> contexts,
    IOptions<AlertOptions> options,
    IOptions<DashboardOptions> dashboard,
    AlertTransport transport,
    AlertSignal signal,
    LiveFeed feed,
    TimeProvider time,
    ILogger<AlertSender> logger) : BackgroundService
{
    /// <summary>How often the table is looked at with no wake (retries come due, a message from another path).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two looks at the outbox. Every account, PIN or request change wakes the
    /// dispatcher, and under full ingest that is hundreds a second: one look per quarter second finds the
    /// same messages, where one per change took a twentieth of the process's CPU.
    /// </summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(250);

    private const int PageSize = 100;
    private readonly Dictionary<string, AlertSignal> _channelWakes = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // What raises alerts publishes a PIN or account change after its commit: that is the moment to look.
        using var subscription = feed.Subscribe(change =>
        {
            if (change.Kind is LiveChangeKind.PinsChanged or LiveChangeKind.AccountsChanged or LiveChangeKind.RequestsChanged) signal.Wake();
        });
        foreach (var channel in settings.Channels) _channelWakes[channel.Name] = new AlertSignal();
        var loops = settings.Channels.Select(c => Task.Run(() => RunChannelAsync(c, _channelWakes[c.Name], stoppingToken), stoppingToken)).ToList();
        loops.Add(RunDispatcherAsync(settings, stoppingToken));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunDispatcherAsync(AlertOptions settings, CancellationToken stoppingToken)
    {
        await AbandonUnconfiguredAsync(settings, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One instance sends (the lease): two would both send what is due. A read first: an idle outbox costs the writer nothing.
                while (await leases.TryHoldAsync(JobNames.AlertSender, stoppingToken) && await HasUndispatchedAsync(stoppingToken))
                {
                    var added = await writer.ExecuteAsync(new DispatchAlertMessages(settings), stoppingToken);
                    if (added > 0) foreach (var wake in _channelWakes.Values) wake.Wake();
                }
            }
            catch (DatabaseUnavailableException ex)
            {
                logger.LogDebug("Alert fan-out postponed: {Error}", ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Alert fan-out failed; trying again");
            }
            var looked = time.GetTimestamp();
            await signal.WaitAsync(PollInterval, time, stoppingToken);
            if (time.GetElapsedTime(looked) is var since && since < MinimumGap) await Task.Delay(MinimumGap - since, time, stoppingToken);
        }
    }

    private async Task<bool> HasUndispatchedAsync(CancellationToken stoppingToken)
    {
        await using var db = await contexts.CreateDbContextAsync(stoppingToken);
        return await db.AlertMessages.AnyAsync(m => m.DispatchedAt == null, stoppingToken);
    }

    private async Task AbandonUnconfiguredAsync(AlertOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var configured = settings.Channels.Select(c => c.Name).ToList();
            var gone = await db.AlertDeliveries.Where(d => d.Status == AlertDeliveryStatus.Pending && !configured.Contains(d.Channel))
                .Select(d => d.Channel).Distinct().ToListAsync(stoppingToken);
            if (gone.Count > 0) await writer.ExecuteAsync(new AbandonUnconfiguredDeliveries(gone), stoppingToken);
        }
        catch (DatabaseUnavailableException)
        {
        }
    }

    private async Task RunChannelAsync(AlertChannelOptions channel, AlertSignal wake, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = PollInterval;
            try
            {
                wait = await leases.TryHoldAsync(JobNames.AlertSender, stoppingToken) ? await SendDueAsync(channel, stoppingToken) : PollInterval;
            }
            catch (DatabaseUnavailableException ex)
            {
                logger.LogDebug("Alert channel {Channel} postponed: {Error}", channel.Name, ex.Message);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The loop must outlive anything unexpected: a dead loop would silently stop a channel.
                logger.LogError("Alert channel {Channel} failed: {Error}", channel.Name, AlertSecrets.Scrub(channel, $"{ex.GetType().Name}: {ex.Message}"));
            }
            if (wait > TimeSpan.Zero) await wake.WaitAsync(wait, time, stoppingToken);
        }
    }

    /// <summary>Sends what is due on <paramref name="channel"/>; returns how long to wait before looking again (zero: at once).</summary>
    private async Task<TimeSpan> SendDueAsync(AlertChannelOptions channel, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        List<(AlertDelivery Delivery, AlertMessage Message)> page;
        Dictionary<string, AlertAccount> accounts;
        await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
        {
            page = (await db.AlertDeliveries.AsNoTracking()
                    .Where(d => d.Status == AlertDeliveryStatus.Pending && d.Channel == channel.Name)
                    .OrderBy(d => d.Id).Take(PageSize)
                    .Join(db.AlertMessages.AsNoTracking(), d => d.MessageId, m => m.Id, (d, m) => new { d, m })
                    .ToListAsync(stoppingToken))
                .Select(x => (x.d, x.m)).ToList();
            var ids = page.Select(x => x.Message.AccountId).OfType<string>().Distinct().ToList();
            accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.AccountId))
                .ToDictionaryAsync(a => a.AccountId, a => new AlertAccount(a.AccountId, a.DisplayName, a.Email), stoppingToken);
        }
        if (page.Count == 0) return PollInterval;

        var now = time.GetUtcNow();
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var nextDue = now + PollInterval;
        var sentAny = false;
        foreach (var (delivery, message) in page)
        {
            // An account's later alerts never overtake its earlier ones on a channel.
            if (waiting.Contains(delivery.AccountKey)) continue;
            var due = DateTimeOffset.FromUnixTimeMilliseconds(delivery.NextAttemptAt);
            if (due > now)
            {
                waiting.Add(delivery.AccountKey);
                if (due < nextDue) nextDue = due;
                continue;
            }
            var account = message.AccountId is { } id ? accounts.GetValueOrDefault(id) ?? new AlertAccount(id, null, null) : null;
            var content = AlertContent.For(message, account, dashboard.Value.PublicUrl, settings, channel.Name);
            var result = await transport.SendAsync(channel, content, settings.SendTimeout, stoppingToken);
            if (result.Delivered)
            {
                await writer.ExecuteAsync(new MarkAlertDelivered(delivery.Id, result.StatusCode), stoppingToken);
                sentAny = true;
            }
            else
            {
                waiting.Add(delivery.AccountKey);
                var retry = Backoff(settings, delivery.Attempts + 1);
                // The channel's name only: its URL or token is a secret.
                logger.LogWarning("Alert {AlertId} to channel {Channel} failed (attempt {Attempt}): {Error}; next try in {Retry}",
                    content.Id, channel.Name, delivery.Attempts + 1, result.Error, retry);
                await writer.ExecuteAsync(new MarkAlertAttemptFailed(delivery.Id, result.StatusCode, result.Error ?? "failed", time.GetUtcNow() + retry), stoppingToken);
                var retryAt = time.GetUtcNow() + retry;
                if (retryAt < nextDue) nextDue = retryAt;
            }
        }
        // A full page sent: there may be more right behind it.
        if (sentAny && page.Count == PageSize) return TimeSpan.Zero;
        var wait = nextDue - time.GetUtcNow();
        return wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait;
    }

    /// <summary>Doubles from <c>RetryBaseDelay</c> per failed attempt, up to <c>RetryMaxDelay</c>.</summary>
    public static TimeSpan Backoff(AlertOptions settings, int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(settings.RetryBaseDelay.TotalMilliseconds * factor, settings.RetryMaxDelay.TotalMilliseconds));
        return delay;
    }
}
