using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace WeLink.Dashboard.Live;

/// <summary>
/// Joins the live feeds of the instances that share a Redis: every change committed here goes to the
/// channel <c>{prefix}:live</c> with this instance's id, and the other instances' changes come back into
/// the local <see cref="LiveFeed"/> marked <see cref="LiveChange.Remote"/>, never to be sent again. So a
/// page open here updates when a webhook landed on another instance. The hub does not need them: its
/// backplane already carries the other instance's broadcasts (see <see cref="EventsHubBroadcaster"/>).
/// Nothing waits on Redis: changes are sent fire-and-forget, and while Redis is away they are dropped.
/// </summary>
public sealed class RedisLiveRelay(LiveFeed feed, RedisConnection redis, ILogger<RedisLiveRelay> logger) : BackgroundService
{
    /// <summary>How long to wait before subscribing again when Redis did not answer.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>What travels on the channel.</summary>
    internal sealed record Envelope(string Origin, LiveChange Change);

    public RedisChannel Channel => RedisChannel.Literal(redis.ChannelPrefix + ":live");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!redis.Enabled) return;
        // Connecting may wait for Redis's connect timeout: not on the host's start.
        await Task.Yield();
        var subscriber = redis.Multiplexer!.GetSubscriber();
        var channel = Channel;
        Action<RedisChannel, RedisValue> onMessage = (_, message) => Receive(message);
        // Until Redis has taken the subscription once; afterwards the connection restores it after each outage.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await subscriber.SubscribeAsync(channel, onMessage);
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.ReportOutage(null, "subscribe failed");
                // A half-made registration would deliver every message twice once Redis is back.
                try { await subscriber.UnsubscribeAsync(channel, onMessage, CommandFlags.FireAndForget); }
                catch (Exception again) when (again is RedisException or TimeoutException) { }
                await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        using var subscription = feed.Subscribe(change => Send(subscriber, channel, change));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            try { await subscriber.UnsubscribeAsync(channel, onMessage, CommandFlags.FireAndForget); }
            catch (Exception ex) when (ex is RedisException or TimeoutException) { }
        }
    }

    private void Send(ISubscriber subscriber, RedisChannel channel, LiveChange change)
    {
        if (change.Remote) return;
        try
        {
            // Fire-and-forget: the feed's consumer (and so every page here) never waits on Redis.
            subscriber.Publish(channel, JsonSerializer.SerializeToUtf8Bytes(new Envelope(redis.InstanceId, change), Json), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            redis.ReportOutage(null, "publish failed");
        }
    }

    private void Receive(RedisValue message)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>((byte[])message!, Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignored a live change from Redis that is not one ({Error})", ex.Message);
            return;
        }
        if (envelope?.Change is not { } change || envelope.Origin == redis.InstanceId) return;
        feed.Publish(change with { Remote = true });
    }
}
