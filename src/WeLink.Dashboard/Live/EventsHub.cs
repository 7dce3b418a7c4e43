using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Live;

/// <summary>
/// <c>/hubs/events</c>: the server sends <c>EventReceived(summary)</c> for every stored event, and
/// <c>AccountChanged(account)</c> when an account's login state or health changes (the shape of
/// <c>GET /api/accounts</c> items).
/// </summary>
public sealed class EventsHub(HubConnectionRevalidator revalidator) : Hub
{
    public const string Route = "/hubs/events";
    public const string EventReceived = "EventReceived";
    public const string AccountChanged = "AccountChanged";

    public override Task OnConnectedAsync()
    {
        revalidator.Track(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        revalidator.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// Which browser pages may open the hub. A cookie travels with a cross-site WebSocket, so a page on
/// another site could otherwise read the live feed as the signed-in operator. Allowed: no <c>Origin</c>
/// (scripts, monitors), the request's own origin (after forwarded headers), <c>Dashboard:PublicUrl</c>
/// and <c>Dashboard:AllowedOrigins</c>; checked whatever the scheme, bearer tokens included.
/// </summary>
public static class HubOrigins
{
    public static bool IsAllowed(HttpRequest request, DashboardOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        origin = origin.Trim().TrimEnd('/').ToLowerInvariant();
        if (request.Host.HasValue && origin == $"{request.Scheme}://{request.Host.Value}".ToLowerInvariant()) return true;
        if (DashboardOptions.OriginOf(options.PublicUrl) == origin) return true;
        return options.AllowedOrigins.Any(allowed => DashboardOptions.OriginOf(allowed) == origin);
    }
}

/// <summary>
/// Forwards new events from the feed to hub clients, off the writer's thread. Only this instance's own:
/// a change relayed from another instance (<see cref="LiveChange.Remote"/>) was broadcast there, and the
/// Redis backplane has already brought that broadcast to the clients here, so each client gets it once.
/// </summary>
public sealed class EventsHubBroadcaster(LiveFeed feed, IHubContext<EventsHub> hub, RedisConnection redis, ILogger<EventsHubBroadcaster> logger) : BackgroundService
{
    private readonly Channel<EventSummary> _pending = Channel.CreateBounded<EventSummary>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(change =>
        {
            if (change is { Kind: LiveChangeKind.EventReceived, Event: { } summary, Remote: false }) _pending.Writer.TryWrite(summary);
        });
        try
        {
            await foreach (var summary in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.All.SendAsync(EventsHub.EventReceived, summary, stoppingToken);
                }
                catch (StackExchange.Redis.RedisException)
                {
                    // The backplane is away: one warning for the outage, not one per event.
                    redis.ReportOutage(null, "hub broadcast failed");
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
        builder.Services.AddSingleton<HubConnectionRevalidator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubConnectionRevalidator>());
        return builder;
    }

    public static IEndpointConventionBuilder MapLive(this IEndpointRouteBuilder app)
    {
        var hub = app.MapHub<EventsHub>(EventsHub.Route).RequireAuthorization(AuthorizationPolicies.Viewer);
        // The check wraps the hub's endpoints (negotiate and connect), so it runs after forwarded headers
        // and before any WebSocket is accepted.
        hub.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                if (HubOrigins.IsAllowed(context.Request, context.RequestServices.GetRequiredService<IOptionsMonitor<DashboardOptions>>().CurrentValue))
                    return inner(context);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        return hub;
    }
}
