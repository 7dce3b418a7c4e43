using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using WeLink.Dashboard.Features.Operators;

namespace WeLink.Dashboard.Live;

/// <summary>
/// Closes hub connections whose operator no longer holds the sign-in they connected with (disabled,
/// removed, re-roled, signed out, past the absolute lifetime). A hub connection, like a circuit, never
/// sends its cookie again: it is checked every minute, as circuits are, and at once when an operator or
/// a sign-in changes here. Token connections are left alone (a token is checked at connect).
/// </summary>
public sealed class HubConnectionRevalidator(OperatorSessions sessions, ILogger<HubConnectionRevalidator> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public int Count => _connections.Count;

    public void Track(HubCallerContext context) => _connections[context.ConnectionId] = context;

    public void Forget(string connectionId) => _connections.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sessions.Changed += OnSessionsChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(Interval);
                    try
                    {
                        await _wake.Reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // The minute is up: check anyway.
                    }
                }
                await RevalidateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            sessions.Changed -= OnSessionsChanged;
        }
    }

    private void OnSessionsChanged() => _wake.Writer.TryWrite(true);

    private async Task RevalidateAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, context) in _connections)
        {
            bool current;
            try
            {
                current = context.User is not { } user || await sessions.IsCurrentAsync(user, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is busy or gone: keep the connection and try again next time.
                logger.LogWarning(ex, "Could not revalidate hub connections");
                return;
            }
            if (current) continue;
            logger.LogInformation("Closing a hub connection of {UserName}: the sign-in no longer holds", context.User?.Identity?.Name);
            _connections.TryRemove(id, out _);
            context.Abort();
        }
    }
}
