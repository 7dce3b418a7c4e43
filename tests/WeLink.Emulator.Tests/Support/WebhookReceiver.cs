using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeLink.Emulator.Tests.Support;

/// <summary>A delivery the receiver saw: path with query, body text, content type, the status it answered.</summary>
public sealed record ReceivedWebhook(string PathAndQuery, string Body, string? ContentType, int Status);

/// <summary>
/// A minimal Kestrel webhook receiver on 127.0.0.1: records every POST under <c>/webhooks/welink</c>
/// and answers 200, or 503 to a given share of posts (deterministically: every 1/share-th).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly double _rejectShare;
    private readonly SemaphoreSlim _arrived = new(0);
    private long _count;

    private WebhookReceiver(double rejectShare)
    {
        _rejectShare = rejectShare;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/webhooks/welink/{**rest}", HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public static async Task<WebhookReceiver> StartAsync(double rejectShare = 0)
    {
        var receiver = new WebhookReceiver(rejectShare);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/webhooks/welink");
        return receiver;
    }

    /// <summary>Waits until a received webhook matches, or fails after <paramref name="timeout"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var found = _received.FirstOrDefault(match);
            if (found is not null) return found;
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching webhook within {timeout}; received {_received.Count}.");
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var n = Interlocked.Increment(ref _count);
        var reject = Math.Floor(n * _rejectShare) > Math.Floor((n - 1) * _rejectShare);
        var status = reject ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        _received.Enqueue(new ReceivedWebhook(context.Request.Path + context.Request.QueryString, body, context.Request.ContentType, status));
        _arrived.Release();
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }
}
