using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// Sends <c>AccountChanged</c> with the account's row to hub clients when its login state or health
/// changes, off the writer's thread and only while a client is connected; a burst of changes to one account sends its latest row once.
/// Only this instance's own changes: another instance's (<see cref="LiveChange.Remote"/>) reach the clients here
/// through the Redis backplane, from that instance's broadcast.
/// </summary>
public sealed class AccountsHubBroadcaster(
    LiveFeed feed,
    IHubContext<EventsHub> hub,
    HubConnectionRevalidator connections,
    AccountQueries accounts,
    RedisConnection redis,
    ILogger<AccountsHubBroadcaster> logger)
    : BackgroundService
{
    private readonly Channel<string> _changed = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(change =>
        {
            if (change is { Kind: LiveChangeKind.AccountsChanged, AccountId: { } accountId, Remote: false }) _changed.Writer.TryWrite(accountId);
        });
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new HashSet<string>(StringComparer.Ordinal);
                while (_changed.Reader.TryRead(out var accountId)) batch.Add(accountId);
                // Nobody on the hub: reading each account's row (health and budget sources) would be wasted work.
                // With the backplane, clients of the other instances count too, and this one cannot see them.
                if (connections.Count == 0 && !redis.Enabled) continue;
                foreach (var accountId in batch)
                {
                    try
                    {
                        if (await accounts.GetRowAsync(accountId, stoppingToken) is { } row)
                            await hub.Clients.All.SendAsync(EventsHub.AccountChanged, row, stoppingToken);
                    }
                    catch (StackExchange.Redis.RedisException)
                    {
                        // The backplane is away: one warning for the outage, not one per account.
                        redis.ReportOutage(null, "hub broadcast failed");
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Could not broadcast account {AccountId}", accountId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
