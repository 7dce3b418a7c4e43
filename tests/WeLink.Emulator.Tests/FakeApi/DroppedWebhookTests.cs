using System.Net;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Tests.Support;
using WeLink.Testing;

namespace WeLink.Emulator.Tests.FakeApi;

/// <summary>Webhooks We-Link never delivers, and a get_response that fails for a while: what request tracking recovers from.</summary>
public sealed class DroppedWebhookTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private const string ApiSecret = "test-api-secret";
    private WebhookReceiver _receiver = null!;
    private FakeWeLinkApi _api = null!;
    private FakeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _api = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            ApiKey = Key, ApiSecret = ApiSecret, WebhookUrl = _receiver.Url, WebhookSecret = "s", Accounts = 3, AccountHintInUrl = false,
            OutcomeDelay = TimeSpan.FromMilliseconds(20), EarlyWebhookRatio = 0, DropWebhookShare = 1,
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);
        _client = new FakeApiClient(_api.BaseAddress, Key, ApiSecret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<string> ActAsync()
    {
        var (status, body) = await _client.PostAsync("connect", """{"accountId":"acc-001","profile_id":"p"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.EnumerateObject().Single(p => p.Name is "requestId" or "requestID" or "request_id").Value.GetString()!;
    }

    [Fact]
    public async Task DropWebhooks_EveryOutcomeDropped_NoneSentAndGetResponseServesEach()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add(await ActAsync());

        await Poll.UntilAsync(() => Task.FromResult(_api.Log.DroppedWebhooks.Count), n => n == ids.Count, TimeSpan.FromSeconds(10), "dropped webhooks");
        Assert.Equal(ids.Order(), _api.Log.DroppedWebhooks.Order());
        foreach (var id in ids)
        {
            var (status, body) = await _client.PostAsync("get_response", $$"""{"requestId":"{{id}}"}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(id, body.GetProperty("request_id").GetString());
        }
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task DropWebhooks_ShareZeroAgain_WebhooksSentAgain()
    {
        _api.DropWebhooks(0);
        var id = await ActAsync();

        await _receiver.WaitForAsync(w => w.Body.Contains(id, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(_api.Log.DroppedWebhooks);
    }

    [Fact]
    public async Task FailGetResponse_404Then503ThenCleared_AnswersEachThenTheResult()
    {
        var id = await ActAsync();
        var body = $$"""{"requestId":"{{id}}"}""";
        await Poll.UntilAsync(() => _client.PostAsync("get_response", body), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the stored result");

        _api.FailGetResponse(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("get_response", body)).Status);
        _api.FailGetResponse(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.PostAsync("get_response", body)).Status);
        _api.FailGetResponse(null);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("get_response", body)).Status);
    }

    [Fact]
    public async Task FailGetResponse_ForAWhile_AnswersTheResultAfterwards()
    {
        var id = await ActAsync();
        var body = $$"""{"requestId":"{{id}}"}""";
        await Poll.UntilAsync(() => Task.FromResult(_api.Log.DroppedWebhooks.Count), n => n == 1, TimeSpan.FromSeconds(10), "the dropped webhook");

        _api.FailGetResponse(HttpStatusCode.NotFound, TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("get_response", body)).Status);
        await Poll.UntilAsync(() => _client.PostAsync("get_response", body), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the result after the failure");
    }
}
