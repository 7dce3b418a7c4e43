using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeLink.Dashboard.IntegrationTests.Gateway;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;
using Xunit.Abstractions;

namespace WeLink.Dashboard.IntegrationTests.Requests;

/// <summary>
/// Request tracking end to end: the dashboard on Kestrel, its SQLite file and the emulator's We-Link
/// over HTTP, with <c>Gateway:OverdueAfter</c> and <c>Gateway:GiveUpAfter</c> shortened by configuration.
/// </summary>
public sealed class RequestTrackingTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> Settings(string overdueAfter = "00:00:01", string giveUpAfter = "00:05:00", int pollsPerMinute = 600) => new()
    {
        ["Gateway:OverdueAfter"] = overdueAfter,
        ["Gateway:GiveUpAfter"] = giveUpAfter,
        ["Gateway:PollsPerMinute"] = pollsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? StateOf(GatewayStack stack, string requestId) =>
        stack.App.Scalar<string>($"SELECT State FROM Requests WHERE RequestId = '{requestId}'");

    private static Task<string?> WaitForStateAsync(GatewayStack stack, string requestId, string state, int seconds = 30) =>
        Poll.UntilAsync(() => Task.FromResult(StateOf(stack, requestId)), s => s == state, TimeSpan.FromSeconds(seconds), $"request {requestId} to be {state}");

    private static async Task<string> ActAsync(GatewayStack stack, string action = "connect", string accountId = "acc-001")
    {
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var response = await client.PostAsJsonAsync($"/welink/api/v1/{action}", new { accountId, profile_id = "p-1", message = "hello", track_reply = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("X-Request-Id"));
    }

    [Fact]
    public async Task Tracking_HalfTheWebhooksDropped_EveryDroppedOutcomeRecoveredAsFetchedAndAttributed()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(), dropWebhooks: 0.5);
        var report = await new GatewayTraffic().RunAsync(new GatewayTrafficOptions
        {
            Gateway = stack.Gateway, BearerToken = DashboardApp.OperatorToken, Count = 40, Concurrency = 4, Accounts = 3, Seed = 5,
        }, CancellationToken.None);
        Assert.Equal((40, 0), (report.Answered2xx, report.Failed));
        var outcomes = stack.WeLink.Log.Outcomes;
        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<long>("SELECT COUNT(*) FROM Requests WHERE State = 'Done'")), n => n == outcomes.Count,
            TimeSpan.FromSeconds(60), $"{outcomes.Count} requests done");

        var dropped = stack.WeLink.Log.DroppedWebhooks.ToHashSet();
        Assert.NotEmpty(dropped);
        var recovered = 0;
        foreach (var o in outcomes)
        {
            var rows = stack.App.Rows("""
                SELECT e.EventType, e.AccountId, e.Signature, r.OutcomeEventId = e.Id, r.Caller FROM Events e JOIN Requests r ON r.RequestId = e.RequestId
                WHERE e.RequestId = $r
                """, ("$r", o.RequestId));
            Assert.True(rows.Count == 1, $"{rows.Count} events for {o.RequestId}");
            var row = ((string)rows[0][0]!, (string)rows[0][1]!, (string)rows[0][2]!, (long)rows[0][3]!, (string)rows[0][4]!);
            var signature = dropped.Contains(o.RequestId) ? nameof(SignatureOutcome.Fetched) : nameof(SignatureOutcome.VerifiedNode);
            Assert.Equal((o.ExpectedType, o.AccountId, signature, 1L, "tests-operator"), row);
            if (dropped.Contains(o.RequestId)) recovered++;
        }
        Assert.Equal(dropped.Count, recovered);
        // get_response calls are not gateway calls: no budget counts them.
        Assert.Equal(40, stack.App.Scalar<long>("SELECT COUNT(*) FROM GatewayCalls"));
        output.WriteLine($"{outcomes.Count} requests, {dropped.Count} webhooks dropped, {recovered} recovered with get_response and attributed");
    }

    [Fact]
    public async Task Tracking_GetResponse404ThenFound_MissingThenRecovered()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(), dropWebhooks: 1);
        stack.WeLink.FailGetResponse(HttpStatusCode.NotFound);
        var requestId = await ActAsync(stack);

        await WaitForStateAsync(stack, requestId, "Missing");
        stack.WeLink.FailGetResponse(null);
        await WaitForStateAsync(stack, requestId, "Done");

        Assert.Equal("Fetched", stack.App.Scalar<string>($"SELECT Signature FROM Events WHERE RequestId = '{requestId}'"));
        Assert.True(stack.App.Scalar<long>($"SELECT Attempts FROM Requests WHERE RequestId = '{requestId}'") >= 2);
    }

    [Fact]
    public async Task Tracking_ServerErrorsThenFound_StaysOverdueThenRecovered()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(), dropWebhooks: 1);
        stack.WeLink.FailGetResponse(HttpStatusCode.ServiceUnavailable);
        var requestId = await ActAsync(stack);

        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<long>($"SELECT Attempts FROM Requests WHERE RequestId = '{requestId}'")), n => n >= 2,
            TimeSpan.FromSeconds(30), "two failed get_response calls");
        Assert.Equal("Overdue", StateOf(stack, requestId));
        stack.WeLink.FailGetResponse(null);
        await WaitForStateAsync(stack, requestId, "Done");
    }

    [Fact]
    public async Task Tracking_RegisteredRequestNeverFound_MissingThenLost()
    {
        await using var stack = await GatewayStack.StartAsync(settings: Settings(giveUpAfter: "00:00:04"));
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using (var created = await client.PostAsJsonAsync("/api/requests", new { requestId = "req-never-0b1d", accountId = "acc-002", action = "connect" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Waiting", StateOf(stack, "req-never-0b1d"));

        await WaitForStateAsync(stack, "req-never-0b1d", "Missing");
        await WaitForStateAsync(stack, "req-never-0b1d", "Lost");
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Contains(stack.WeLink.Log.Calls, c => c.Path == "/api/v1/get_response" && c.Body.Contains("req-never-0b1d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tracking_SignedWebhookAfterFetchedCopy_UpgradesItToVerifiedAndAReplyIsANewEvent()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(), dropWebhooks: 1);
        var requestId = await ActAsync(stack, "send_message");
        await WaitForStateAsync(stack, requestId, "Done");
        var eventId = stack.App.Scalar<long>($"SELECT Id FROM Events WHERE RequestId = '{requestId}'");
        Assert.Equal("Fetched", stack.App.Scalar<string>($"SELECT Signature FROM Events WHERE Id = {eventId}"));

        // The delivery We-Link retries later: the same body, signed, with other spacing.
        var stored = await GetResponseAsync(stack, requestId);
        using (var late = await stack.App.PostWebhookAsync(WebhookSigner.Sign(JsonSerializer.Serialize(JsonDocument.Parse(stored).RootElement,
                   new JsonSerializerOptions { WriteIndented = true }), GatewayStack.WebhookSecret)))
            Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal((1L, "VerifiedNode", 2L), (stack.App.Scalar<long>($"SELECT COUNT(*) FROM Events WHERE RequestId = '{requestId}'"),
            stack.App.Scalar<string>($"SELECT Signature FROM Events WHERE Id = {eventId}"), stack.App.Scalar<long>($"SELECT DeliveryCount FROM Events WHERE Id = {eventId}")));

        // A reply on the same request is another event; the request keeps its outcome.
        var reply = $$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"thread_id":"t-1","replied":true,"text":"thanks"}}""";
        using (var answer = await stack.App.PostWebhookAsync(WebhookSigner.Sign(reply, GatewayStack.WebhookSecret)))
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, stack.App.Scalar<long>($"SELECT COUNT(*) FROM Events WHERE RequestId = '{requestId}'"));
        Assert.Equal(eventId, stack.App.Scalar<long>($"SELECT OutcomeEventId FROM Requests WHERE RequestId = '{requestId}'"));

        // The API says how the outcome came.
        using var detail = await stack.App.Http.GetFromJsonAsync<JsonDocument>($"/api/events/{eventId}");
        Assert.Contains("VerifiedNode", detail!.RootElement.GetRawText());
    }

    [Fact]
    public async Task Tracking_LoginWithPin_PinRequiredThenPinSubmittedThenDone()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(overdueAfter: "00:00:03"));
        var account = stack.WeLink.Accounts[0];
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var login = await client.PostAsJsonAsync("/welink/api/v1/login_v2", new { email = account.Email, password = "pw-77aa" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var requestId = Assert.Single(login.Headers.GetValues("X-Request-Id"));
        await WaitForStateAsync(stack, requestId, "PinRequired");

        // The login's outcome webhook is lost: the request waits on the PIN, then is recovered.
        stack.WeLink.DropWebhooks(1);
        using (var accepted = await client.PostAsJsonAsync($"/api/pins/{requestId}", new { code = "123456" }))
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await WaitForStateAsync(stack, requestId, "PinSubmitted");
        await WaitForStateAsync(stack, requestId, "Done");
        Assert.Equal("LOGIN_SUCCESS", stack.App.Scalar<string>(
            $"SELECT e.EventType FROM Events e JOIN Requests r ON r.OutcomeEventId = e.Id WHERE r.RequestId = '{requestId}'"));
    }

    [Fact]
    public async Task Tracking_ManyOverdueRequests_GetResponseNeverAbovePollsPerMinute()
    {
        const int limit = 4;
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(pollsPerMinute: limit), dropWebhooks: 1);
        stack.WeLink.FailGetResponse(HttpStatusCode.BadGateway);
        for (var i = 0; i < 8; i++) await ActAsync(stack, accountId: $"acc-00{1 + (i % 3)}");

        List<DateTimeOffset> Polls() => stack.WeLink.Log.Calls.Where(c => c.Path == "/api/v1/get_response").Select(c => c.At).Order().ToList();
        await Poll.UntilAsync(() => Task.FromResult(Polls().Count), n => n >= limit, TimeSpan.FromSeconds(30), $"{limit} get_response calls");
        // Eight requests are due again and again; for a while nothing more may go out in this minute.
        Assert.False(await Poll.HoldsAsync(() => Task.FromResult(Polls().Count > limit), TimeSpan.FromSeconds(8)));
        var polls = Polls();
        foreach (var start in polls) Assert.True(polls.Count(t => t >= start && t < start.AddMinutes(1)) <= limit, $"more than {limit} get_response calls in the minute from {start:O}");
        output.WriteLine($"{polls.Count} get_response calls in {(polls[^1] - polls[0]).TotalSeconds:0.0} s with a limit of {limit} a minute");
        Assert.Equal(8, stack.App.Scalar<long>("SELECT COUNT(*) FROM GatewayCalls"));
    }

    [Fact]
    public async Task RequestsApi_FiltersAndCursor_PagesNewestFirstAndRefusesBadInput()
    {
        await using var stack = await GatewayStack.StartAsync(earlyWebhookRatio: 0, settings: Settings(overdueAfter: "00:30:00"));
        using var operatorClient = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        foreach (var (id, account) in new[] { ("reg-a", "acc-001"), ("reg-b", "acc-002"), ("reg-c", "acc-001") })
        {
            using var created = await operatorClient.PostAsJsonAsync("/api/requests", new { requestId = id, accountId = account, action = "connect" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var gatewayId = await ActAsync(stack, "view_profile", "acc-003");
        await WaitForStateAsync(stack, gatewayId, "Done");

        using var viewer = stack.App.CreateHttpClient(DashboardApp.ViewerToken);
        using var first = await viewer.GetFromJsonAsync<JsonDocument>("/api/requests?limit=2");
        var items = first!.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(gatewayId, items[0].GetProperty("requestId").GetString());
        Assert.Equal(("Done", "view_profile", "acc-003", "tests-operator"), (items[0].GetProperty("state").GetString(), items[0].GetProperty("action").GetString(),
            items[0].GetProperty("accountId").GetString(), items[0].GetProperty("caller").GetString()));
        Assert.True(items[0].GetProperty("outcomeEventId").GetInt64() > 0);
        Assert.True(items[0].TryGetProperty("displayName", out _) && items[0].TryGetProperty("requestedAt", out _) && items[0].TryGetProperty("stateSince", out _));
        var cursor = first.RootElement.GetProperty("nextCursor").GetString();
        using var rest = await viewer.GetFromJsonAsync<JsonDocument>($"/api/requests?limit=2&cursor={Uri.EscapeDataString(cursor!)}");
        var all = items.Concat(rest!.RootElement.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("requestId").GetString()).ToList();
        Assert.Equal(4, all.Distinct().Count());
        Assert.Equal(JsonValueKind.Null, rest.RootElement.GetProperty("nextCursor").ValueKind);

        using var waiting = await viewer.GetFromJsonAsync<JsonDocument>("/api/requests?state=waiting&account=acc-001");
        Assert.Equal(["reg-a", "reg-c"], waiting!.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("requestId").GetString()!).Order().ToArray());
        using var byCaller = await viewer.GetFromJsonAsync<JsonDocument>("/api/requests?caller=nobody");
        Assert.Empty(byCaller!.RootElement.GetProperty("items").EnumerateArray());

        foreach (var bad in new[] { "state=Bogus", "state=3", "limit=0", "limit=501", "cursor=nope" })
        {
            using var refused = await viewer.GetAsync($"/api/requests?{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    private static async Task<string> GetResponseAsync(GatewayStack stack, string requestId)
    {
        using var http = new HttpClient { BaseAddress = stack.WeLink.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/get_response") { Content = JsonContent.Create(new { requestId }) };
        request.Headers.Add("x-api-key", GatewayStack.ApiKey);
        request.Headers.Add("x-api-secret", GatewayStack.ApiSecret);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
