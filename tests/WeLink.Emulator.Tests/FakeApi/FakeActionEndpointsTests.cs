using System.Net;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Tests.Support;
using WeLink.Webhooks;

namespace WeLink.Emulator.Tests.FakeApi;

public sealed class FakeActionEndpointsTests : IAsyncLifetime
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
            OutcomeDelay = TimeSpan.FromMilliseconds(20), EarlyWebhookRatio = 0.5, ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);
        _client = new FakeApiClient(_api.BaseAddress, Key, ApiSecret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Actions_EveryCatalogueAction_AnswersARequestIdInAnySpellingAndPostsItsOutcomeWithoutHints()
    {
        var spellings = new HashSet<string>();
        foreach (var action in ActionCatalogue.DefaultFamilies.Keys.Where(a => a != "login_v2"))
        {
            for (var i = 0; i < 3; i++)
            {
                var (status, body) = await _client.PostAsync(action, """{"accountId":"acc-002","profile_id":"p"}""");
                Assert.Equal(HttpStatusCode.OK, status);
                var id = body.EnumerateObject().Single(p => p.Name is "requestId" or "requestID" or "request_id");
                spellings.Add(id.Name);
                var requestId = id.Value.GetString()!;
                var webhook = await _receiver.WaitForAsync(w => w.Body.Contains(requestId, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                Assert.DoesNotContain("?", webhook.PathAndQuery);
                Assert.DoesNotContain("acc-002", webhook.Body);
                Assert.Contains(_api.Log.Outcomes, o => o.RequestId == requestId && o.AccountId == "acc-002" && o.Action == action);
            }
        }
        Assert.Equal(3, spellings.Count);
        Assert.Contains(_api.Log.Outcomes, o => o.DeliveredBeforeAnswer);
        Assert.Contains(_api.Log.Outcomes, o => !o.DeliveredBeforeAnswer);
    }

    [Fact]
    public async Task Actions_UnknownOrMissingAccount_RefusedWithoutOutcome()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("connect", """{"accountId":"acc-999"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync("connect", """{"profile_id":"p"}""")).Status);
        Assert.Empty(_api.Log.Outcomes);
        Assert.Equal(2, _api.Log.Calls.Count);
    }
}
