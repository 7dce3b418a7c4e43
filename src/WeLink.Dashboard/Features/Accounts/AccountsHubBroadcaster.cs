using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// Sends <c>AccountChanged</c> with the account's row to hub clients when its login state or health
/// changes, off the writer's thread and only while a client is connected. Changes are gathered for
/// <see cref="Gap"/> and the changed accounts' rows read together: under a fleet's full load every
/// account changes several times a second, and one read per change took a quarter of the process's CPU.
/// Each account's latest row is sent once per round.
/// Only this instance's own changes: another instance's (<see cref="LiveChange.Remote"/>) reach the clients here
/// through the Redis backplane, from that instance's broadcast.
/// </summary>
public sealed class AccountsHubBroadcaster(
    LiveFeed feed,
    IHubContext<EventsHub> hub,
    HubConnectionRevalidator connections,
    AccountQueries accounts,
    RedisConnection redis,
    TimeProvider time,
    ILogger<AccountsHubBroadcaster> logger)
    : BackgroundService
{
    /// <summary>The shortest time between two rounds of account rows: a change is on the hub within about this long.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(250);

    private readonly Channel<string> _changed = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(change =>
        {
            if (change is { Kind: LiveChangeKind.AccountsChanged, AccountId: { } accountId, Remote: false }) _changed.Writer.TryWrite(accountId);
        });
        var lastRound = 0L;
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                // A change after a quiet spell goes out at once; in a burst the changes of the rest of the gap join it.
                if (time.GetElapsedTime(lastRound) is var since && since < Gap) await Task.Delay(Gap - since, time, stoppingToken);
                lastRound = time.GetTimestamp();
                var batch = new HashSet<string>(StringComparer.Ordinal);
                while (_changed.Reader.TryRead(out var accountId)) batch.Add(accountId);
                // Nobody on the hub: reading the accounts' rows (health and budget sources) would be wasted work.
                // With the backplane, clients of the other instances count too, and this one cannot see them.
                if (connections.Count == 0 && !redis.Enabled) continue;
                try
                {
                    foreach (var row in await accounts.GetRowsAsync(batch, stoppingToken))
                        await hub.Clients.All.SendAsync(EventsHub.AccountChanged, row, stoppingToken);
                }
                catch (StackExchange.Redis.RedisException)
                {
                    // The backplane is away: one warning for the outage, not one per account.
                    redis.ReportOutage(null, "hub broadcast failed");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not broadcast {Count} changed accounts", batch.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
