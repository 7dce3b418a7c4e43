using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace WeLink.Dashboard.Bench;

/// <summary>SignalR clients of <c>/hubs/events</c>; the first one times each event from its send to its arrival.</summary>
public sealed class HubClients : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly ConcurrentDictionary<string, long> _sent = new(StringComparer.Ordinal);
    private long _received;

    public Latencies Push { get; } = new();
    public long Received => Interlocked.Read(ref _received);
    public bool Measuring { get; set; }

    public static async Task<HubClients> ConnectAsync(Uri baseAddress, string token, int count)
    {
        var clients = new HubClients();
        for (var i = 0; i < count; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "/hubs/events"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    o.Headers["Authorization"] = "Bearer " + token;
                })
                .Build();
            var timing = i == 0;
            connection.On<JsonElement>("EventReceived", summary =>
            {
                if (!timing) return;
                Interlocked.Increment(ref clients._received);
                if (summary.TryGetProperty("requestId", out var id) && id.GetString() is { } requestId
                    && clients._sent.TryRemove(requestId, out var sentAt) && clients.Measuring)
                    clients.Push.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            });
            await connection.StartAsync();
            clients._connections.Add(connection);
        }
        return clients;
    }

    /// <summary>Remembers when the event with <paramref name="requestId"/> was (to be) sent.</summary>
    public void Sent(string requestId, long timestamp) => _sent[requestId] = timestamp;

    public int Waiting => _sent.Count;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}
