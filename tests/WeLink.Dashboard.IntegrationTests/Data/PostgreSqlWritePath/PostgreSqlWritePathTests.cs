using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.IntegrationTests.Security;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data.PostgreSqlWritePath;

/// <summary>
/// The write path on <c>Database:Provider=PostgreSQL</c>, on the private cluster ./run-tests.sh starts: each
/// test has a database of its own. Two <see cref="DashboardApp"/>s on one database stand for two instances.
/// </summary>
public sealed class PostgreSqlWritePathTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly TestDirectory _second = new();
    private readonly PostgresTestDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        _second.Dispose();
        _dir.Dispose();
    }

    private DashboardApp Start(TestDirectory directory) => DashboardApp.Start(directory.Path, settings: _database.DashboardSettings());

    private static async Task<JsonElement> ReplyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private long Count(string sql) => _database.Scalar<long>(sql);

    /// <summary>Every counter table against a recount of the stored events, and each account's event count against its events.</summary>
    private void AssertCountersEqualARecount(long events)
    {
        Assert.Equal(events, Count("""SELECT COUNT(*) FROM "Events" """));
        Assert.Equal(events, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "HourlyEventCounts" """));
        Assert.Equal(events, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "DailyEventCounts" """));
        var errors = Count("""SELECT COUNT(*) FROM "Events" WHERE "ErrorCode" IS NOT NULL""");
        Assert.Equal(errors, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "HourlyErrorCounts" """));
        Assert.Equal(errors, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "DailyErrorCounts" """));
        Assert.Equal(errors, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "DailyCodeTotals" """));
        Assert.Equal(errors, Count("""SELECT COALESCE(SUM("Count"), 0) FROM "HourlyCodeTotals" """));
        // Per key: every hourly row equals the events it stands for, and no events are without their row.
        Assert.Equal(0L, Count(
            """
            SELECT COUNT(*) FROM (
                SELECT "ReceivedAt" - "ReceivedAt" % 3600000 AS h, COALESCE("AccountId", '') AS a, "EventType" AS t, COALESCE("ErrorCode", '') AS e, COUNT(*) AS n
                FROM "Events" GROUP BY 1, 2, 3, 4) r
            FULL JOIN "HourlyEventCounts" c ON c."Hour" = r.h AND c."AccountKey" = r.a AND c."EventType" = r.t AND c."ErrorCode" = r.e
            WHERE c."Count" IS DISTINCT FROM r.n
            """));
        Assert.Equal(0L, Count(
            """
            SELECT COUNT(*) FROM "Accounts" a
            WHERE a."EventCount" <> (SELECT COUNT(*) FROM "Events" e WHERE e."AccountId" = a."AccountId")
            """));
    }

    [Fact]
    public async Task PostWebhook_EverySampleOnPostgreSql_StoredOnceRedeliveryIsADuplicateAndCountersEqualARecount()
    {
        using var app = Start(_dir);
        var samples = TestFixtures.Samples("events").Concat(TestFixtures.Samples("errors")).ToList();

        foreach (var (name, body) in samples)
            Assert.Equal("stored", (await ReplyAsync(await app.PostWebhookAsync(body))).GetProperty("status").GetString());
        foreach (var (name, body) in samples)
        {
            var again = await ReplyAsync(await app.PostWebhookAsync(body));
            Assert.Equal("duplicate", again.GetProperty("status").GetString());
            Assert.Equal(2, again.GetProperty("deliveries").GetInt32());
        }

        AssertCountersEqualARecount(samples.Count);
        Assert.Equal(2L * samples.Count, Count("""SELECT SUM("DeliveryCount") FROM "Events" """));
        Assert.Equal(samples.Count, Count("""SELECT COUNT(DISTINCT "BodySha256") FROM "Events" """));
        // The reads answer from what was written: the log, its free-text search (trigram index), the accounts.
        var events = await ReplyAsync(await app.Http.GetAsync("/api/events?limit=200"));
        Assert.Equal(samples.Count, events.GetProperty("items").GetArrayLength());
        var found = await ReplyAsync(await app.Http.GetAsync("/api/events?q=jane-doe-PUBLIC"));
        Assert.Equal("req-login-0001", Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("requestId").GetString());
        var shortText = await ReplyAsync(await app.Http.GetAsync("/api/events?q=Ja"));
        Assert.NotEmpty(shortText.GetProperty("items").EnumerateArray());
        foreach (var route in new[] { "/api/accounts", "/api/overview", "/api/stats/errors", "/api/pins", "/api/requests", "/api/alerts" })
            await ReplyAsync(await app.Http.GetAsync(route));
    }

    [Fact]
    public async Task PostWebhook_PostgreSqlRefusesConnections_Answers503ThenStoresOnceItTakesThemAgain()
    {
        using var app = Start(_dir);
        await ReplyAsync(await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"down-0","result":{"connected":true}}"""));
        using (var admin = new Npgsql.NpgsqlConnection(_database.Server))
        {
            admin.Open();
            using var refuse = new Npgsql.NpgsqlCommand(
                $"""ALTER DATABASE "{_database.Name}" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}'""", admin);
            refuse.ExecuteNonQuery();
        }

        var refused = await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"down-1","result":{"connected":true}}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        using (var admin = new Npgsql.NpgsqlConnection(_database.Server))
        {
            admin.Open();
            using var allow = new Npgsql.NpgsqlCommand($"""ALTER DATABASE "{_database.Name}" ALLOW_CONNECTIONS true""", admin);
            allow.ExecuteNonQuery();
        }
        Assert.Equal("stored", (await ReplyAsync(await app.PostSignedWebhookAsync("""{"status":"SUCCESS","request_id":"down-1","result":{"connected":true}}""")))
            .GetProperty("status").GetString());
        Assert.Equal(2L, Count("""SELECT COUNT(*) FROM "Events" """));
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task SignIn_PostgreSql_SignsInAndStampsTheOperator()
    {
        using var app = Start(_dir);
        using var browser = SignInFlow.For(app);

        await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);

        Assert.Equal(1L, Count("""SELECT COUNT(*) FROM "Operators" WHERE "LastSignInAt" IS NOT NULL"""));
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/accounts")).StatusCode);
    }

    [Fact]
    public async Task PostWebhook_TwoInstancesGetTheSame500EventsAtOnce_StoredOnceAndCountersEqualARecount()
    {
        using var first = Start(_dir);
        using var second = Start(_second);
        var bodies = Enumerable.Range(0, 500).Select(i => WebhookSigner.Sign(i % 5 == 4
            ? $$$"""{"status":"FAILED","request_id":"two-{{{i}}}","account_id":"acc-{{{i % 17}}}","error":"{{{(i % 10 == 4 ? "STATUS_429" : "PROXY_ERROR")}}}"}"""
            : $$$"""{"status":"SUCCESS","request_id":"two-{{{i}}}","account_id":"acc-{{{i % 17}}}","result":{"connected":true}}""", DashboardApp.Secret)).ToList();

        // Each body to both instances at once, 16 in flight per instance, in opposite orders so that the
        // two writers' batches hold the same accounts in different orders.
        var answers = await Task.WhenAll(
            PostAllAsync(first, bodies),
            PostAllAsync(second, Enumerable.Reverse(bodies).ToList()));

        Assert.All(answers.SelectMany(a => a), status => Assert.Contains(status, new[] { "stored", "duplicate" }));
        Assert.Equal(500, answers.SelectMany(a => a).Count(s => s == "stored"));
        Assert.Equal(1000L, Count("""SELECT SUM("DeliveryCount") FROM "Events" """));
        AssertCountersEqualARecount(500);
        Assert.Equal(17L, Count("""SELECT COUNT(*) FROM "Accounts" """));
    }

    private static async Task<List<string>> PostAllAsync(DashboardApp app, List<string> bodies)
    {
        var statuses = new List<string>();
        foreach (var chunk in bodies.Chunk(16))
        {
            var replies = await Task.WhenAll(chunk.Select(async body => await ReplyAsync(await app.PostWebhookAsync(body))));
            statuses.AddRange(replies.Select(r => r.GetProperty("status").GetString()!));
        }
        return statuses;
    }

    [Fact]
    public async Task ClaimPinRequest_TwoInstancesClaimTheSameRequestsAtOnce_EachClaimedOnce()
    {
        using var first = Start(_dir);
        using var second = Start(_second);
        const int requests = 20;
        for (var i = 0; i < requests; i++)
            await ReplyAsync(await first.PostSignedWebhookAsync($$"""{"status":"PIN_REQUIRED","request_id":"pin-{{i}}","account_id":"acc-pin-{{i}}","message":"code"}"""));
        Assert.Equal(requests, Count("""SELECT COUNT(*) FROM "PinRequests" WHERE "Status" = 'Pending'"""));

        var writers = new[] { first, second }.Select(app => app.Services.GetRequiredService<DashboardWriter>()).ToArray();
        var claims = await Task.WhenAll(Enumerable.Range(0, requests).SelectMany(i => writers.Select((writer, w) =>
            writer.ExecuteAsync(new ClaimPinRequest($"pin-{i}", null, $"operator-{w}")))));

        Assert.Equal(requests, claims.Count(c => c.Item1 == ClaimResult.Claimed));
        Assert.Equal(requests, claims.Count(c => c.Item1 == ClaimResult.AlreadySubmitted));
        Assert.Equal(requests, Count("""SELECT COUNT(*) FROM "PinRequests" WHERE "Status" = 'Submitted'"""));
    }

    [Fact]
    public async Task ChangeOperator_TwoInstancesDisableTheOnlyTwoAdminsAtOnce_OneAdminStays()
    {
        using var first = Start(_dir);
        using var second = Start(_second);
        _database.Execute(
            """INSERT INTO "Operators" ("UserName", "PasswordHash", "Role", "Disabled", "SecurityStamp", "CreatedAt", "FailedSignIns") VALUES ('second-admin', 'x', 'Admin', false, 's', 0, 0)""");
        var ids = new[] { DashboardApp.AdminUser, "second-admin" }
            .Select(name => _database.Scalar<long>("""SELECT "Id" FROM "Operators" WHERE "UserName" = @n""", ("n", name))).ToArray();

        var results = await Task.WhenAll(
            first.Services.GetRequiredService<DashboardWriter>().ExecuteAsync(new ChangeOperator(ids[0], new OperatorChange.SetDisabled(true))),
            second.Services.GetRequiredService<DashboardWriter>().ExecuteAsync(new ChangeOperator(ids[1], new OperatorChange.SetDisabled(true))));

        Assert.Equal(1, results.Count(r => r.Item1 == OperatorWriteStatus.Done));
        Assert.Equal(1, results.Count(r => r.Item1 == OperatorWriteStatus.LastAdmin));
        Assert.Equal(1L, Count("""SELECT COUNT(*) FROM "Operators" WHERE "Role" = 'Admin' AND NOT "Disabled" """));
    }
}
