using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Tests.Support;
using WeLink.Webhooks;

namespace WeLink.Emulator.Tests.FakeApi;

public sealed class FakeWeLinkApiTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private const string ApiSecret = "test-api-secret";
    private const string WebhookSecret = "test-webhook-secret";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private WebhookReceiver _receiver = null!;
    private FakeWeLinkApi _api = null!;
    private FakeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _api = await FakeWeLinkApi.StartAsync(Options(_receiver.Url), CancellationToken.None);
        _client = new FakeApiClient(_api.BaseAddress, Key, ApiSecret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static FakeWeLinkOptions Options(Uri? webhookUrl) => new()
    {
        ApiKey = Key,
        ApiSecret = ApiSecret,
        WebhookUrl = webhookUrl,
        WebhookSecret = WebhookSecret,
        Accounts = 3,
        OutcomeDelay = TimeSpan.FromMilliseconds(20),
        ConfigureLogging = logging => logging.ClearProviders(),
    };

    [Theory]
    [InlineData(null, null)]
    [InlineData(Key, null)]
    [InlineData(Key, "wrong")]
    [InlineData("wrong", ApiSecret)]
    public async Task AnyCall_WrongOrMissingKeys_Answers401WithMessage(string? key, string? secret)
    {
        using var client = new FakeApiClient(_api.BaseAddress, key, secret);

        var (status, body) = await client.PostAsync("get_all_ln_accounts", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task GetAllLnAccounts_ListsTheAccounts()
    {
        var (status, body) = await _client.PostAsync("get_all_ln_accounts", "{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["acc-001", "acc-002", "acc-003"], body.EnumerateArray().Select(a => a.GetProperty("accountId").GetString()));
        Assert.Equal("acc-002@example.test", body[1].GetProperty("email").GetString());
    }

    [Fact]
    public async Task GetLnAccountDetails_KnownAndUnknown()
    {
        var (status, body) = await _client.PostAsync("get_ln_account_details", """{"accountId":"acc-001"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ACTIVE", body.GetProperty("status").GetString());
        Assert.Equal(_api.Accounts[0].FirstName, body.GetProperty("firstname").GetString());
        Assert.Equal(_api.Accounts[0].LastName, body.GetProperty("lastname").GetString());

        var (missing, _) = await _client.PostAsync("get_ln_account_details", """{"accountId":"acc-404"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Theory]
    [InlineData("""{"accountId":"acc-001","code":"123456"}""", "requestId")]
    [InlineData("""{"accountId":"acc-001","requestId":"r-1"}""", "code")]
    [InlineData("""{"code":"123456","requestId":"r-1"}""", "accountId")]
    [InlineData("""{"accountId":"acc-001","code":123456,"requestId":"r-1"}""", "code")]
    public async Task LoginCode_MissingField_Answers400NamingIt(string json, string field)
    {
        var (status, body) = await _client.PostAsync("login_code", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, body.GetProperty("message").GetString());
        Assert.Empty(_api.LoginCodes);
    }

    [Fact]
    public async Task LoginCode_NotJson_Answers400()
    {
        var (status, body) = await _client.PostAsync("login_code", "not json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task LoginCode_PostsSignedLoginSuccessWithTheSameRequestId()
    {
        var (status, answer) = await _client.PostAsync("login_code", """{"accountId":"acc-002","code":"424242","requestId":"req-pin-1"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SUCCESS", answer.GetProperty("status").GetString());

        var webhook = await _receiver.WaitForAsync(r => r.Body.Contains("req-pin-1"), Timeout);

        Assert.Equal("/webhooks/welink?account=acc-002", webhook.PathAndQuery);
        using var document = JsonDocument.Parse(webhook.Body);
        var root = document.RootElement;
        Assert.Equal(SignatureOutcome.VerifiedNode, new WebhookSignatureVerifier(WebhookSecret).Verify(root));
        Assert.Equal(SignatureOutcome.Mismatch, new WebhookSignatureVerifier("another-secret").Verify(root));
        Assert.Equal("SUCCESS", root.GetProperty("status").GetString());
        Assert.Equal("req-pin-1", root.GetProperty("request_id").GetString());
        Assert.Equal("acc-002@example.test", root.GetProperty("result").GetProperty("email").GetString());
        Assert.Equal(_api.Accounts[1].ProfileId, root.GetProperty("result").GetProperty("profile_id").GetString());

        var call = await _api.WaitForLoginCodeAsync(c => c.RequestId == "req-pin-1", Timeout);
        Assert.Equal(("acc-002", "424242"), (call.AccountId, call.Code));
        Assert.DoesNotContain("424242", call.ToString());
        Assert.Single(_api.LoginCodes);
    }

    [Fact]
    public async Task LoginCode_WrongPin_PostsWrongPasswordAndAccountStaysInactive()
    {
        await _client.PostAsync("login_code", $$"""{"accountId":"acc-001","code":"{{FakeWeLinkApi.WrongPinCode}}","requestId":"req-bad"}""");

        var webhook = await _receiver.WaitForAsync(r => r.Body.Contains("req-bad"), Timeout);

        using var document = JsonDocument.Parse(webhook.Body);
        Assert.Equal("FAILED", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(ErrorCodes.WrongPassword, document.RootElement.GetProperty("error").GetString());
        var (me, _) = await _client.PostAsync("me", """{"accountId":"acc-001"}""");
        Assert.Equal(HttpStatusCode.BadRequest, me);
    }

    [Fact]
    public async Task Me_BeforeAndAfterLogin()
    {
        var (before, message) = await _client.PostAsync("me", """{"accountId":"acc-003"}""");
        Assert.Equal(HttpStatusCode.BadRequest, before);
        Assert.Equal("Linked account not active", message.GetProperty("message").GetString());

        await _client.PostAsync("login_code", """{"accountId":"acc-003","code":"111111","requestId":"req-me"}""");
        await _receiver.WaitForAsync(r => r.Body.Contains("req-me"), Timeout);

        var (after, profile) = await _client.PostAsync("me", """{"accountId":"acc-003"}""");
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal("SUCCESS", profile.GetProperty("status").GetString());
        Assert.Equal("acc-003@example.test", profile.GetProperty("profile").GetProperty("email").GetString());
    }

    [Fact]
    public async Task LoginV2_PostsPinRequired_ThenLoginCodeCompletesIt()
    {
        var (status, started) = await _client.PostAsync("login_v2", """{"email":"acc-001@example.test","password":"pw","proxy":{"location":"US"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var requestId = started.GetProperty("request_id").GetString()!;

        var pin = await _receiver.WaitForAsync(r => r.Body.Contains(requestId), Timeout);
        using (var document = JsonDocument.Parse(pin.Body))
        {
            Assert.Equal("PIN_REQUIRED", document.RootElement.GetProperty("status").GetString());
            Assert.True(new WebhookSignatureVerifier(WebhookSecret).Verify(document.RootElement).IsAccepted());
        }
        Assert.Equal("/webhooks/welink?account=acc-001", pin.PathAndQuery);

        await _client.PostAsync("login_code", $$"""{"accountId":"acc-001","code":"987654","requestId":"{{requestId}}"}""");
        await _receiver.WaitForAsync(r => r.Body.Contains(requestId) && r.Body.Contains("\"SUCCESS\""), Timeout);

        var (found, stored) = await _client.PostAsync("get_response", $$"""{"requestId":"{{requestId}}"}""");
        Assert.Equal(HttpStatusCode.OK, found);
        Assert.Equal("SUCCESS", stored.GetProperty("status").GetString());
        Assert.False(stored.TryGetProperty("hash", out _));
    }

    [Fact]
    public async Task LoginCode_RequestOfAnotherAccount_Answers400()
    {
        var (_, started) = await _client.PostAsync("login_v2", """{"email":"acc-001@example.test","password":"pw","proxy":{"location":"US"}}""");
        var requestId = started.GetProperty("request_id").GetString()!;

        var (status, _) = await _client.PostAsync("login_code", $$"""{"accountId":"acc-002","code":"987654","requestId":"{{requestId}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task GetResponse_UnknownRequest_Answers404Json()
    {
        var (status, body) = await _client.PostAsync("get_response", """{"requestId":"nope"}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.NotNull(body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task LoginCode_WebhookUrlSourceWithoutHint_PostsToTheUrlKnownAtDelivery()
    {
        // A host that runs the fake API in-process learns its own address only once it listens.
        Uri? target = null;
        await using var api = await FakeWeLinkApi.StartAsync(
            Options(webhookUrl: null) with { WebhookUrlSource = () => target, AccountHintInUrl = false }, CancellationToken.None);
        using var client = new FakeApiClient(api.BaseAddress, Key, ApiSecret);
        target = _receiver.Url;

        var (status, _) = await client.PostAsync("login_code", """{"accountId":"acc-003","code":"424242","requestId":"req-late-url"}""");
        Assert.Equal(HttpStatusCode.OK, status);

        var webhook = await _receiver.WaitForAsync(r => r.Body.Contains("req-late-url"), Timeout);
        Assert.Equal("/webhooks/welink", webhook.PathAndQuery);
        using var document = JsonDocument.Parse(webhook.Body);
        Assert.Equal(SignatureOutcome.VerifiedNode, new WebhookSignatureVerifier(WebhookSecret).Verify(document.RootElement));
    }

    [Fact]
    public async Task WaitForLoginCodeAsync_NoCall_TimesOut()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => _api.WaitForLoginCodeAsync(_ => true, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task LoginCode_WebhookReceiverDown_ServerKeepsAnswering()
    {
        await using var api = await FakeWeLinkApi.StartAsync(
            Options(new Uri($"http://127.0.0.1:{FreePort.Next()}/webhooks/welink")) with { OutcomeDelay = TimeSpan.Zero },
            CancellationToken.None);
        using var client = new FakeApiClient(api.BaseAddress, Key, ApiSecret);

        var (first, _) = await client.PostAsync("login_code", """{"accountId":"acc-001","code":"123123","requestId":"req-down"}""");
        Assert.Equal(HttpStatusCode.OK, first);

        // The outcome is stored before delivery is attempted; once it is, the failed post is behind us.
        using var deadline = new CancellationTokenSource(Timeout);
        HttpStatusCode me;
        do
        {
            deadline.Token.ThrowIfCancellationRequested();
            (me, _) = await client.PostAsync("me", """{"accountId":"acc-001"}""");
        }
        while (me != HttpStatusCode.OK);
        var (accounts, _) = await client.PostAsync("get_all_ln_accounts", "{}");
        Assert.Equal(HttpStatusCode.OK, accounts);
    }
}
