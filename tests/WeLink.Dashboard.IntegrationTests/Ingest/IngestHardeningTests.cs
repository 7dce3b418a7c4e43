using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.IntegrationTests.Infrastructure;
using WeLink.Testing;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Ingest;

/// <summary>Forged and replayed webhooks, unsigned hints and lone surrogates, over real HTTP to the real app.</summary>
public sealed class IngestHardeningTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Sign(string json) => WebhookSigner.Sign(json, DashboardApp.Secret);

    private static string Jwt(string secret, string payload)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var body = B64(Encoding.UTF8.GetBytes(payload));
        return header + "." + body + "." + B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + body)));
    }

    private static async Task<(string Status, long Id, int Deliveries)> ReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = reply.RootElement;
        return (root.GetProperty("status").GetString()!, root.GetProperty("id").GetInt64(), root.GetProperty("deliveries").GetInt32());
    }

    private static string? Text(DashboardApp app, string sql, params (string, object)[] parameters)
    {
        var rows = app.Rows(sql, parameters);
        return rows.Count == 0 ? null : rows[0][0] as string;
    }

    [Fact]
    public async Task Post_JwtMadeForAnotherBody_401AndNothingStored()
    {
        using var app = DashboardApp.Start(_dir.Path);
        const string signedFor = """{"status":"SUCCESS","request_id":"req-jwt-1"}""";
        var token = Jwt(DashboardApp.Secret, signedFor);

        var genuine = await app.PostWebhookAsync(signedFor[..^1] + $",\"hash\":\"{token}\"}}");
        Assert.Equal("stored", (await ReplyAsync(genuine)).Status);
        Assert.Equal("VerifiedJwt", app.Scalar<string>("SELECT Signature FROM Events"));

        // The same JWT (readable by any Viewer in the stored raw body) on bodies it was not made for.
        var forgeries = new[]
        {
            """{"status":"PIN_REQUIRED","request_id":"req-jwt-2","account_id":"acc-victim"}""",
            """{"status":"ACCOUNT_RESTRICTED","request_id":"req-jwt-1","account_id":"acc-victim"}""",
        };
        foreach (var forged in forgeries)
        {
            var response = await app.PostWebhookAsync(forged[..^1] + $",\"hash\":\"{token}\"}}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(1, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM PinRequests"));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM Accounts"));
    }

    [Fact]
    public async Task Post_JwtHashWhenAcceptJwtHashIsFalse_401()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?> { ["WeLink:AcceptJwtHash"] = "false" });
        const string body = """{"status":"SUCCESS","request_id":"req-jwt-off"}""";
        var response = await app.PostWebhookAsync(body[..^1] + $",\"hash\":\"{Jwt(DashboardApp.Secret, body)}\"}}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(Sign(body))).StatusCode);
        Assert.Equal(1, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
    }

    [Fact]
    public async Task Post_WhitespaceAndEscapeVariantsOfOneSignedBody_StoredOnceDuplicatesCounted()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var body = Sign("""{"status":"SUCCESS","request_id":"req-ws-1","result":{"connected":true,"name":"Zoë/QA"}}""");
        var variants = new[]
        {
            body,
            "{ " + body[1..],
            body.Replace(",", " ,\n  "),
            body.Replace("ë", "\\u00eb").Replace("/", "\\/"),
        };

        var first = await ReplyAsync(await app.PostWebhookAsync(variants[0]));
        Assert.Equal("stored", first.Status);
        for (var i = 1; i < variants.Length; i++)
        {
            var reply = await ReplyAsync(await app.PostWebhookAsync(variants[i]));
            Assert.Equal(("duplicate", first.Id, i + 1), reply);
        }
        Assert.Equal(1, app.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(4, app.Scalar<long>("SELECT DeliveryCount FROM Events"));
        Assert.Equal(1, app.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM HourlyEventCounts"));
    }

    [Fact]
    public async Task Post_HintedReplayOfAnsweredPinRequest_NeitherMovesNorReopensIt()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var pin = Sign("""{"status":"PIN_REQUIRED","request_id":"req-pin-hint","message":"Enter the code"}""");
        Assert.Equal("stored", (await ReplyAsync(await app.PostWebhookAsync(pin, "/webhooks/welink?account=acc-owner"))).Status);
        Assert.Equal("stored", (await ReplyAsync(await app.PostWebhookAsync(
            Sign("""{"status":"SUCCESS","request_id":"req-pin-hint","result":{"first_name":"Ann","email":"ann@example.com"}}"""),
            "/webhooks/welink?account=acc-owner"))).Status);
        Assert.Equal("Succeeded", Text(app, "SELECT Status FROM PinRequests WHERE RequestId = 'req-pin-hint'"));

        // A Viewer reads the raw body and replays it, re-spaced, with another account hint.
        var replay = await ReplyAsync(await app.PostWebhookAsync("{ " + pin[1..], "/webhooks/welink/LOGIN_PIN_REQUIRED?account=acc-attacker"));
        Assert.Equal("duplicate", replay.Status);
        Assert.Equal("acc-owner", Text(app, "SELECT AccountId FROM PinRequests WHERE RequestId = 'req-pin-hint'"));
        Assert.Equal("Succeeded", Text(app, "SELECT Status FROM PinRequests WHERE RequestId = 'req-pin-hint'"));
        Assert.Equal(0, app.Scalar<long>("SELECT COUNT(*) FROM Accounts WHERE AccountId = 'acc-attacker'"));

        // A genuinely new PIN request for the login reopens it, but a hint still does not move it.
        var again = Sign("""{"status":"PIN_REQUIRED","request_id":"req-pin-hint","message":"Wrong code, enter it again"}""");
        Assert.Equal("stored", (await ReplyAsync(await app.PostWebhookAsync(again, "/webhooks/welink?account=acc-attacker"))).Status);
        Assert.Equal("acc-owner", Text(app, "SELECT AccountId FROM PinRequests WHERE RequestId = 'req-pin-hint'"));
        Assert.Equal("Pending", Text(app, "SELECT Status FROM PinRequests WHERE RequestId = 'req-pin-hint'"));
    }

    [Fact]
    public async Task Post_BodyAccountAfterHintedPinRequest_CorrectsItsAccount()
    {
        using var app = DashboardApp.Start(_dir.Path);
        await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"PIN_REQUIRED","request_id":"req-pin-fix","message":"a"}"""), "/webhooks/welink?account=acc-guess"));
        await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"PIN_REQUIRED","request_id":"req-pin-fix","message":"b","account_id":"acc-real"}""")));
        Assert.Equal("acc-real", Text(app, "SELECT AccountId FROM PinRequests WHERE RequestId = 'req-pin-fix'"));
    }

    [Fact]
    public async Task Post_KnownRequestAndUrlHint_KnownRequestWinsForTypeAndAccount()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var registered = await app.CreateHttpClient(DashboardApp.OperatorToken).PostAsJsonAsync("/api/requests",
            new { requestId = "req-known-1", accountId = "acc-known", action = "connect" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"SUCCESS","request_id":"req-known-1"}"""),
            "/webhooks/welink/MESSAGE_SENT?account=acc-hint"));
        var row = Assert.Single(app.Rows("SELECT EventType, TypeSource, AccountId, AccountSource FROM Events"));
        Assert.Equal(("CONNECTION_SENT", "Correlated", "acc-known", "Correlated"), ((string?)row[0], (string?)row[1], (string?)row[2], (string?)row[3]));
    }

    [Fact]
    public async Task Post_BodyAccountDisagreeingWithKnownRequest_BodyStandsConflictShown()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var operatorClient = app.CreateHttpClient(DashboardApp.OperatorToken);
        Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsJsonAsync("/api/requests",
            new { requestId = "req-conflict", accountId = "acc-first", action = "connect" })).StatusCode);

        var stored = await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"SUCCESS","request_id":"req-conflict","account_id":"acc-body"}""")));
        using var detail = JsonDocument.Parse(await app.Http.GetStringAsync($"/api/events/{stored.Id}"));
        var summary = detail.RootElement.GetProperty("summary");
        Assert.Equal("acc-body", summary.GetProperty("accountId").GetString());
        Assert.Equal("Conflicting", summary.GetProperty("accountSource").GetString());

        // A second registration naming another account: the first stands.
        var second = await operatorClient.PostAsJsonAsync("/api/requests", new { requestId = "req-conflict", accountId = "acc-second", action = "connect" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("acc-first", Text(app, "SELECT AccountId FROM Requests WHERE RequestId = 'req-conflict'"));
    }

    [Fact]
    public async Task RegisterRequest_EventsStoredUnderItWithHintOrNothing_AttributedWithCountersAndPin()
    {
        using var app = DashboardApp.Start(_dir.Path);
        await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"PIN_REQUIRED","request_id":"req-late","message":"code"}"""), "/webhooks/welink?account=acc-hint"));
        await ReplyAsync(await app.PostWebhookAsync(Sign("""{"status":"SUCCESS","request_id":"req-other-late"}""")));

        var registered = await app.CreateHttpClient(DashboardApp.OperatorToken).PostAsJsonAsync("/api/requests",
            new { requestId = "req-late", accountId = "acc-real", action = "login" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        Assert.Equal("Correlated", Text(app, "SELECT AccountSource FROM Events WHERE RequestId = 'req-late'"));
        Assert.Equal("acc-real", Text(app, "SELECT AccountId FROM Events WHERE RequestId = 'req-late'"));
        Assert.Equal("acc-real", Text(app, "SELECT AccountId FROM PinRequests WHERE RequestId = 'req-late'"));
        Assert.Equal(1, app.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM HourlyEventCounts WHERE AccountKey = 'acc-real'"));
        Assert.Equal(0, app.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM HourlyEventCounts WHERE AccountKey = 'acc-hint'"));
        Assert.Equal("PinRequired", Text(app, "SELECT LoginState FROM Accounts WHERE AccountId = 'acc-real'"));
        Assert.Null(Text(app, "SELECT PendingPinRequestId FROM Accounts WHERE AccountId = 'acc-hint'"));
    }

    [Fact]
    public async Task Post_LoneSurrogateBodies_200InBothFormsStoredIntact()
    {
        var vectors = TestFixtures.LoneSurrogateVectors();
        using var app = DashboardApp.Start(_dir.Path, secret: vectors[0].Secret);
        foreach (var vector in vectors)
        {
            var reply = await ReplyAsync(await app.PostWebhookAsync(vector.Body));
            Assert.Equal("stored", reply.Status);

            var row = Assert.Single(app.Rows("SELECT RawBody, Signature, Message FROM Events WHERE Id = $id", ("$id", reply.Id)));
            Assert.Equal(Encoding.UTF8.GetBytes(vector.Body), (byte[])row[0]!);
            Assert.Equal(vector.Form == "python" ? "VerifiedPython" : "VerifiedNode", (string?)row[1]);
            if (vector.Name == "high-surrogate-in-message") Assert.Equal("Hi \uFFFD", (string?)row[2]);
        }

        // The event API answers with the raw text intact (the escape as sent).
        var id = app.Scalar<long>("SELECT MIN(Id) FROM Events");
        var detail = await app.Http.GetAsync($"/api/events/{id}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains("\\\\ud83d", await detail.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        foreach (var format in new[] { "ndjson", "csv" })
        {
            var export = await app.Http.GetAsync($"/api/events/export?format={format}");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Contains("req-lone-node-1", await export.Content.ReadAsStringAsync());
        }
    }

    // SQLite only: an upgrade of an old SQLite file.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Startup_FileWithEventsStoredUnderTheOldRawDigest_RedeliveryStillDuplicate()
    {
        var body = Sign("""{"status":"SUCCESS","request_id":"req-old-1","result":{"connected":true}}""");
        var other = Sign("""{"status":"FAILED","request_id":"req-old-2","error":"PROFILE_NOT_FOUND"}""");
        using (var before = DashboardApp.Start(_dir.Path))
        {
            await ReplyAsync(await before.PostWebhookAsync(body));
            await ReplyAsync(await before.PostWebhookAsync(other));
        }

        // Make the file what the previous version left: digests of the raw bytes, upgrade not yet run.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "dashboard.db")};Pooling=False"))
        {
            db.Open();
            var rows = new List<(long, byte[])>();
            using (var select = db.CreateCommand())
            {
                select.CommandText = "SELECT Id, RawBody FROM Events";
                using var reader = select.ExecuteReader();
                while (reader.Read()) rows.Add((reader.GetInt64(0), (byte[])reader[1]));
            }
            foreach (var (id, raw) in rows)
            {
                using var update = db.CreateCommand();
                update.CommandText = "UPDATE Events SET BodySha256 = $d WHERE Id = $id";
                update.Parameters.AddWithValue("$d", SHA256.HashData(raw));
                update.Parameters.AddWithValue("$id", id);
                update.ExecuteNonQuery();
            }
            using var version = db.CreateCommand();
            version.CommandText = "PRAGMA user_version = 0";
            version.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        using var after = DashboardApp.Start(_dir.Path);
        Assert.Equal("duplicate", (await ReplyAsync(await after.PostWebhookAsync(body))).Status);
        Assert.Equal("duplicate", (await ReplyAsync(await after.PostWebhookAsync("{ " + other[1..]))).Status);
        Assert.Equal(2, after.Scalar<long>("SELECT COUNT(*) FROM Events"));
        // Later one-time steps raise the version further once this one has run.
        Assert.True(after.Scalar<long>("PRAGMA user_version") >= EventDigestUpgradeVersion);
    }

    private const long EventDigestUpgradeVersion = WeLink.Dashboard.Data.EventDigestUpgrade.ContentDigestVersion;

    [Fact]
    public async Task Post_ManyRefusedDeliveries_OneSummaryLineNotOnePerRefusal()
    {
        var time = new AdjustableTime();
        using var app = DashboardApp.Start(_dir.Path, services: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 25; i++)
        {
            var response = await app.PostWebhookAsync($$"""{"status":"SUCCESS","request_id":"x{{i}}","hash":"{{new string('0', 64)}}"}""");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.BadRequest, (await app.PostWebhookAsync("not json")).StatusCode);

        var rejected = app.Services.GetRequiredService<RejectedDeliveries>();
        Assert.Equal(25, rejected.Totals["bad-signature"]);
        time.Offset = TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(app.LogLines().Any(l => l.Contains("Refused", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20)), "no summary line was written");

        var lines = app.LogLines();
        var summary = Assert.Single(lines, l => l.Contains("Refused", StringComparison.Ordinal));
        Assert.Contains("bad-signature=25, not-json=5", summary);
        Assert.DoesNotContain(lines, l => l.Contains("Rejected a webhook", StringComparison.Ordinal));
        // The Overview's counter still counts every refusal.
        await rejected.FlushAsync(CancellationToken.None);
        Assert.Equal(30, app.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM RejectedDeliveryCounts"));
    }

    private sealed class AdjustableTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
