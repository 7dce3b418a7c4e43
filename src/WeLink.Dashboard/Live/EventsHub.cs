using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace WeLink.Dashboard.Live;

/// <summary><c>/hubs/events</c>: the server sends <c>EventReceived(summary)</c> for every stored event.</summary>
public sealed class EventsHub : Hub
{
    public const string Route = "/hubs/events";
    public const string EventReceived = "EventReceived";
}

/// <summary>Forwards new events from the feed to hub clients, off the writer's thread.</summary>
public sealed class EventsHubBroadcaster(LiveFeed feed, IHubContext<EventsHub> hub, ILogger<EventsHubBroadcaster> logger) : BackgroundService
{
    private readonly Channel<EventSummary> _pending = Channel.CreateBounded<EventSummary>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(change =>
        {
            if (change is { Kind: LiveChangeKind.EventReceived, Event: { } summary }) _pending.Writer.TryWrite(summary);
        });
        try
        {
            await foreach (var summary in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.All.SendAsync(EventsHub.EventReceived, summary, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not broadcast event {EventId}", summary.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class LiveExtensions
{
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveFeed>();
        // Enums travel by name (e.g. "VerifiedNode"), as in the JSON API.
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddHostedService<EventsHubBroadcaster>();
        return builder;
    }

    public static IEndpointConventionBuilder MapLive(this IEndpointRouteBuilder app) =>
        app.MapHub<EventsHub>(EventsHub.Route).RequireAuthorization(Hosting.AuthorizationPolicies.Viewer);
}
