using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using WeLink.Dashboard.IntegrationTests.Security;

namespace WeLink.Dashboard.IntegrationTests.Gateway;

/// <summary>Who may call the gateway, what reaches We-Link, and what is kept of a call.</summary>
public sealed class GatewayAccessTests
{
    [Fact]
    public async Task Gateway_RefusedCalls_AreNeverForwarded()
    {
        await using var stack = await GatewayStack.StartAsync();
        var body = new { accountId = "acc-001", profile_id = "lead-1" };
        using var anonymous = stack.App.CreateHttpClient();
        using var wrongToken = stack.App.CreateHttpClient("not-a-token");
        using var viewer = stack.App.CreateHttpClient(DashboardApp.ViewerToken);
        using var operatorClient = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var wrongSecret = stack.App.CreateHttpClient();
        wrongSecret.DefaultRequestHeaders.Add("x-api-key", GatewayStack.ApiKey);
        wrongSecret.DefaultRequestHeaders.Add("x-api-secret", "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongToken.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongSecret.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsJsonAsync("/welink/api/v1/con-nect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsJsonAsync("/welink/api/v1/..%2Fadmin", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsJsonAsync("/welink/api/v1/connect.json", body)).StatusCode);

        Assert.Empty(Forwarded(stack));
        Assert.Equal(0, stack.App.Scalar<long>("SELECT COUNT(*) FROM GatewayCalls"));

        // The same call with a good credential does reach it: the refusals above were not an accident of the set-up.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Single(Forwarded(stack));
    }

    [Fact]
    public async Task Gateway_BearerCall_CallersCredentialsNeverReachWeLink()
    {
        await using var stack = await GatewayStack.StartAsync();
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/welink/api/v1/view_profile")
        {
            Content = JsonContent.Create(new { accountId = "acc-002", profile_id = "lead-2" }),
        };
        request.Headers.Add("Cookie", "welink-session=caller-cookie-value");
        request.Headers.Add("X-Caller-Secret", "caller-header-value");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Contains(requestId, await response.Content.ReadAsStringAsync());
        var call = Assert.Single(Forwarded(stack));
        Assert.Equal("/api/v1/view_profile", call.Path);
        Assert.Null(call.Authorization);
        Assert.Null(call.Cookie);
        Assert.DoesNotContain(call.HeaderNames, h => h.Equals("X-Caller-Secret", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(call.HeaderNames, h => h.Equals("x-api-key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(("tests-operator", "view_profile", "acc-002", requestId, 200L),
            (stack.App.Scalar<string>("SELECT Caller FROM GatewayCalls"), stack.App.Scalar<string>("SELECT Action FROM GatewayCalls"),
             stack.App.Scalar<string>("SELECT AccountId FROM GatewayCalls"), stack.App.Scalar<string>("SELECT RequestId FROM GatewayCalls"),
             stack.App.Scalar<long>("SELECT Status FROM GatewayCalls")));
        Assert.Equal("acc-002", stack.App.Scalar<string>($"SELECT AccountId FROM Requests WHERE RequestId = '{requestId}'"));
    }

    [Fact]
    public async Task Gateway_SpentBudgetEnforced_Answers429WithRetryAfterAndForwardsNothing()
    {
        await using var stack = await GatewayStack.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Gateway:ActionsPerHour"] = "2",
            ["Gateway:EnforceBudgets"] = "true",
        });
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        var body = new { accountId = "acc-003", profile_id = "lead-3" };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/view_profile", body)).StatusCode);
        // A synchronous call is not counted and not refused.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/get_all_ln_accounts", new { })).StatusCode);

        using var refused = await client.PostAsJsonAsync("/welink/api/v1/connect", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 3500, 3600);
        // Another account's budget is its own.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/connect", new { accountId = "acc-004" })).StatusCode);
        Assert.Equal(3, Forwarded(stack).Count);
    }

    /// <summary>What reached We-Link other than the dashboard's own account-list sync, which runs at start.</summary>
    internal static List<WeLink.Emulator.FakeApi.ReceivedCall> Forwarded(GatewayStack stack) =>
        stack.WeLink.Log.Calls.Where(c => c.Path != "/api/v1/get_all_ln_accounts").ToList();

    [Fact]
    public async Task Gateway_WeLinkDown_Answers502AndRecordsIt()
    {
        await using var stack = await GatewayStack.StartAsync();
        await stack.WeLink.DisposeAsync();
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var response = await client.PostAsJsonAsync("/welink/api/v1/connect", new { accountId = "acc-001" });
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, stack.App.Scalar<long>("SELECT Status FROM GatewayCalls"));
        Assert.Equal("None", stack.App.Scalar<string>("SELECT Budget FROM GatewayCalls"));
    }

    [Fact]
    public async Task Gateway_WeLinkStalls_Answers504AfterTheConfiguredTimeoutAndRecordsIt()
    {
        await using var stack = await GatewayStack.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:Timeout"] = "00:00:01" });
        stack.WeLink.StallActions(TimeSpan.FromMinutes(2));
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        using var response = await client.PostAsJsonAsync("/welink/api/v1/connect", new { accountId = "acc-001", profile_id = "lead-1" });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        // The configured second, not design.md's default 30 s. (Whether the stalled call reached the fake
        // We-Link's log before the gateway gave up depends on the machine's load, so it is not asserted.)
        Assert.Contains("within 1 s", await response.Content.ReadAsStringAsync());
        Assert.Equal((504L, "None", "acc-001"), (stack.App.Scalar<long>("SELECT Status FROM GatewayCalls"),
            stack.App.Scalar<string>("SELECT Budget FROM GatewayCalls"), stack.App.Scalar<string>("SELECT AccountId FROM GatewayCalls")));
        Assert.False(response.Headers.Contains("X-Request-Id"));
    }

    // SQLite only: a file locked by another process.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Gateway_DatabaseLocked_Answers503AndForwardsNothing()
    {
        await using var stack = await GatewayStack.StartAsync();
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        var body = new { accountId = "acc-001", profile_id = "lead-1" };
        // A first call warms the path up; what the lock refuses is counted from here.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/connect", new { accountId = "acc-002" })).StatusCode);
        var before = Forwarded(stack).Count;
        var recorded = stack.App.Scalar<long>("SELECT COUNT(*) FROM GatewayCalls");
        using (var locker = new SqliteConnection($"Data Source={stack.App.DatabasePath};Pooling=False"))
        {
            locker.Open();
            using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();

            using var refused = await client.PostAsJsonAsync("/welink/api/v1/connect", body);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(before, Forwarded(stack).Count);

            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        Assert.Equal(recorded, stack.App.Scalar<long>("SELECT COUNT(*) FROM GatewayCalls"));

        // Once the database answers again, the same call goes through: the 503 was the lock's doing.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/welink/api/v1/connect", body)).StatusCode);
        Assert.Equal(before + 1, Forwarded(stack).Count);
        Assert.Equal(200, stack.App.Scalar<long>("SELECT Status FROM GatewayCalls WHERE AccountId = 'acc-001'"));
    }
}

/// <summary>A call's body, a login's password and a message's text, leaves no trace in the database, its WAL or the logs.</summary>
[Collection(AloneCollection.Name)]
public sealed class GatewayHygieneTests
{
    private const string Password = "Gw-Passw0rd-7c1e-secret";
    private const string MessageText = "Confidential pitch 5d8a for the lead";

    [Fact]
    public async Task Gateway_PasswordAndMessageInBody_InNoDatabaseWalOrLogFile()
    {
        await using var stack = await GatewayStack.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System"] = "Verbose",
        });
        using var client = stack.App.CreateHttpClient(DashboardApp.OperatorToken);
        var account = stack.WeLink.Accounts[0];
        using var login = await client.PostAsJsonAsync("/welink/api/v1/login_v2", new { email = account.Email, password = Password, proxy = new { location = "US" } });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var requestId = Assert.Single(login.Headers.GetValues("X-Request-Id"));
        using var message = await client.PostAsJsonAsync("/welink/api/v1/send_message", new { accountId = account.AccountId, message = MessageText });
        Assert.Equal(HttpStatusCode.OK, message.StatusCode);

        // The login's PIN request is attributed to the account its e-mail names (learnt from We-Link's list).
        await Poll.UntilAsync(() => Task.FromResult(stack.App.Scalar<string>($"SELECT AccountId FROM PinRequests WHERE RequestId = '{requestId}'")),
            a => a == account.AccountId, TimeSpan.FromSeconds(30), "the login's PIN request");
        Assert.Equal(account.AccountId, stack.App.Scalar<string>($"SELECT AccountId FROM GatewayCalls WHERE RequestId = '{requestId}'"));
        Assert.Contains(GatewayAccessTests.Forwarded(stack), c => c.Body.Contains(Password, StringComparison.Ordinal));

        var files = Directory.EnumerateFiles(stack.Directory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".log", StringComparison.Ordinal));
        foreach (var secret in new[] { Password, MessageText, DashboardApp.OperatorToken, GatewayStack.ApiSecret })
        {
            FileSearch.AssertNowhere(stack.Directory, secret);
            Assert.Empty(TestStore.TablesContaining(stack.App.DatabasePath, secret));
        }
        // The search itself works: the request id is there (in the file, or in PostgreSQL's tables).
        Assert.NotEmpty(stack.App.OnPostgreSql ? TestStore.TablesContaining(stack.App.DatabasePath, requestId) : FileSearch.FilesContaining(stack.Directory, requestId));
    }
}
