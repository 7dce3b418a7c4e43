using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeLink.Testing;

/// <summary>A POST the receiver saw: path, the alert headers, the exact body, the status it answered, when (a stopwatch reading).</summary>
public sealed record ReceivedAlert(string Path, string? AlertId, string? Signature, byte[] Body, int Status, TimeSpan At)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A Kestrel server on 127.0.0.1 standing in for an alert channel (a webhook receiver, Slack, Teams,
/// Telegram's Bot API): records every POST and answers <see cref="Answer"/> (200 unless a test sets another).
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedAlert> _received = new();

    private AlertReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", HandleAsync);
    }

    public static Stopwatch Clock { get; } = Stopwatch.StartNew();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The status every POST gets from now on.</summary>
    public int Answer { get; set; } = StatusCodes.Status200OK;

    /// <summary>How long each POST is held before its answer (a slow channel); recorded when it arrives.</summary>
    public TimeSpan AnswerDelay { get; set; }

    public IReadOnlyList<ReceivedAlert> Received => _received.ToArray();

    /// <summary>Only the POSTs answered with a 2xx.</summary>
    public IReadOnlyList<ReceivedAlert> Accepted => _received.Where(r => r.Status is >= 200 and < 300).ToArray();

    public static async Task<AlertReceiver> StartAsync()
    {
        var receiver = new AlertReceiver();
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address.TrimEnd('/'));
        return receiver;
    }

    public string Url(string path) => BaseAddress + path.TrimStart('/');

    /// <summary>Polls until <paramref name="done"/> holds for the accepted POSTs; returns them.</summary>
    public Task<IReadOnlyList<ReceivedAlert>> WaitForAsync(Func<IReadOnlyList<ReceivedAlert>, bool> done, TimeSpan limit, string what) =>
        Poll.UntilAsync(() => Task.FromResult(Accepted), done, limit, what);

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var status = Answer;
        _received.Enqueue(new ReceivedAlert(context.Request.Path.Value ?? "", context.Request.Headers["X-Alert-Id"].FirstOrDefault(),
            context.Request.Headers["X-Dashboard-Signature"].FirstOrDefault(), buffer.ToArray(), status, Clock.Elapsed));
        if (AnswerDelay > TimeSpan.Zero) await Task.Delay(AnswerDelay, context.RequestAborted);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status200OK) await context.Response.WriteAsync("""{"ok":true}""");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
