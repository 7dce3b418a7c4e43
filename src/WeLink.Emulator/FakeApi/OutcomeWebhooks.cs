using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.Traffic;

namespace WeLink.Emulator.FakeApi;

/// <summary>
/// Delivers an API call's outcome the way We-Link does: after a delay, as a signed webhook.
/// The outcome is also kept for <c>get_response</c>. A failed delivery is logged, never thrown.
/// </summary>
internal sealed class OutcomeWebhooks : IAsyncDisposable
{
    private readonly FakeWeLinkOptions _options;
    private readonly FakeWeLinkState _state;
    private readonly ILogger<OutcomeWebhooks> _logger;
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    private readonly FakeApiLog _log;

    public OutcomeWebhooks(FakeWeLinkOptions options, FakeWeLinkState state, FakeApiLog log, ILogger<OutcomeWebhooks> logger)
    {
        _options = options;
        _state = state;
        _log = log;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// After <see cref="FakeWeLinkOptions.OutcomeDelay"/>: runs <paramref name="beforeDelivery"/>,
    /// stores <paramref name="body"/> for <c>get_response</c>, then posts it.
    /// </summary>
    public void Schedule(FleetAccount account, string requestId, JsonObject body, Action? beforeDelivery = null)
    {
        var task = DeliverLaterAsync(account, requestId, body, beforeDelivery, _stopping.Token);
        _inFlight[task] = 0;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Posts the outcome now and returns when it was answered: a webhook that beats its call's answer.</summary>
    public Task DeliverNowAsync(FleetAccount account, string requestId, JsonObject body) =>
        DeliverLaterAsync(account, requestId, body, null, _stopping.Token, TimeSpan.Zero);

    private async Task DeliverLaterAsync(FleetAccount account, string requestId, JsonObject body, Action? beforeDelivery, CancellationToken stopping,
        TimeSpan? delay = null)
    {
        try
        {
            await Task.Delay(delay ?? Jittered(_options.OutcomeDelay), stopping).ConfigureAwait(false);
            beforeDelivery?.Invoke();
            _state.StoreResponse(requestId, WebhookBodies.Serialize(body, secret: null));
            if (_state.DropWebhookShare > 0 && Random.Shared.NextDouble() < _state.DropWebhookShare)
            {
                // A delivery We-Link gave up on: only get_response still has it.
                _log.RecordDropped(requestId);
                _logger.LogInformation("Webhook for request {RequestId} dropped; kept for get_response", requestId);
                return;
            }
            var target = _options.WebhookUrlSource?.Invoke() ?? _options.WebhookUrl;
            if (target is null)
            {
                _logger.LogInformation("Outcome of request {RequestId} kept for get_response (no webhook URL)", requestId);
                return;
            }

            var url = WebhookUrls.Build(target, _options.AccountHintInUrl ? WebhookUrlForm.AccountQuery : WebhookUrlForm.Bare, null, account.AccountId);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(WebhookBodies.Serialize(body, _options.WebhookSecret)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _client.PostAsync(url, content, stopping).ConfigureAwait(false);
            _logger.LogInformation("Webhook for request {RequestId} of {AccountId} answered {StatusCode}", requestId, account.AccountId, (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the outcome is dropped, as it would be if We-Link went away.
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Webhook for request {RequestId} of {AccountId} failed: {Error}", requestId, account.AccountId, ex.Message);
        }
    }

    /// <summary>Between half and one and a half times the delay: outcomes do not come back in the order their calls went.</summary>
    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.5 + Random.Shared.NextDouble());

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }
}
