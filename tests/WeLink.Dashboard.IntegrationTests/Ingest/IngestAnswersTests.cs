using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using WeLink.Testing;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Ingest;

/// <summary>design.md's "Ingest answers", case by case, over real HTTP.</summary>
public sealed class IngestAnswersTests : IDisposable
{
    private readonly DashboardApp _app;

    public IngestAnswersTests() => _app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "4096" });

    public void Dispose() => _app.Dispose();

    private static string Sample(string name) => TestFixtures.Samples("events").Single(s => s.Name == name).Body;
    private long EventCount() => _app.Scalar<long>("SELECT COUNT(*) FROM Events");

    [Fact]
    public async Task Post_ValidNewEvent_200AfterCommitWithRawBodyKept()
    {
        var body = Sample("LOGIN_SUCCESS");
        var response = await _app.PostWebhookAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("stored", reply.RootElement.GetProperty("status").GetString());
        var id = reply.RootElement.GetProperty("id").GetInt64();

        var row = Assert.Single(_app.Rows("SELECT RawBody, EventType, TypeSource, Signature, RequestId FROM Events WHERE Id = $id", ("$id", id)));
        Assert.Equal(Encoding.UTF8.GetBytes(body), (byte[])row[0]!);
        Assert.Equal("LOGIN_SUCCESS", row[1]);
        Assert.Equal("Inferred", row[2]);
        Assert.Equal("VerifiedNode", row[3]);
        Assert.Equal("req-login-0001", row[4]);
    }

    [Fact]
    public async Task Post_SameEventAgain_StoredOnceWithDeliveryCount()
    {
        var body = Sample("CONNECTION_SENT");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await _app.PostWebhookAsync(body)).StatusCode);

        var last = await _app.PostWebhookAsync(body);
        using var reply = JsonDocument.Parse(await last.Content.ReadAsStringAsync());
        Assert.Equal("duplicate", reply.RootElement.GetProperty("status").GetString());
        Assert.Equal(4, reply.RootElement.GetProperty("deliveries").GetInt32());
        Assert.Equal(1, EventCount());
        Assert.Equal(4, _app.Scalar<long>("SELECT DeliveryCount FROM Events"));
    }

    [Theory]
    [InlineData("""{"status":"SUCCESS","request_id":"x"}""")]
    [InlineData("""{"status":"SUCCESS","request_id":"x","hash":"0000000000000000000000000000000000000000000000000000000000000000"}""")]
    [InlineData("""{"status":"SUCCESS","request_id":"x","hash":12}""")]
    public async Task Post_BadOrMissingHash_401NothingStoredAndCounted(string body)
    {
        var response = await _app.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, EventCount());
        await AssertRejectionCountedAsync("bad-signature");
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"status\":")]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("")]
    public async Task Post_NotJsonOrNotObject_400WithReason(string body)
    {
        var response = await _app.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(0, EventCount());
    }

    [Fact]
    public async Task Post_OverMaxBodyBytes_413WithOrWithoutContentLength()
    {
        var big = WebhookSigner.Sign(JsonSerializer.Serialize(new { status = "SUCCESS", request_id = "big", result = new { text = new string('x', 5000) } }), DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _app.PostWebhookAsync(big)).StatusCode);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/webhooks/welink")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _app.Http.SendAsync(chunked)).StatusCode);
        Assert.Equal(0, EventCount());
        await AssertRejectionCountedAsync("too-large");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Post_ContentTypeNotJson_415(string contentType)
    {
        var response = await _app.PostWebhookAsync(Sample("LOGIN_SUCCESS"), contentType: contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, EventCount());
    }

    [Fact]
    public async Task Post_JsonWithCharset_Accepted()
    {
        var response = await _app.PostWebhookAsync(Sample("LOGIN_SUCCESS"), contentType: "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_ValidSignatureUnexpectedShape_StoredAsUnknown()
    {
        var body = WebhookSigner.Sign("""{"weird":[1,{"nested":true}],"status":{"not":"a string"},"result":"text"}""", DashboardApp.Secret);
        var response = await _app.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UNKNOWN", _app.Scalar<string>("SELECT EventType FROM Events"));
    }

    // SQLite only: a file locked by another process (PostgreSQL: DatabaseTroubleTests).
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Post_DatabaseLockedByAnotherProcess_503ThenRecovers()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.PostWebhookAsync(Sample("LOGIN_SUCCESS"))).StatusCode);

        using (var locker = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False"))
        {
            locker.Open();
            using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();

            var blocked = await _app.PostWebhookAsync(Sample("CONNECTION_SENT"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, blocked.StatusCode);
            Assert.True(blocked.Headers.Contains("Retry-After"));

            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        var retried = await _app.PostWebhookAsync(Sample("CONNECTION_SENT"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, EventCount());
    }

    [Fact]
    public async Task Post_UrlHints_SetTypeAndAccount()
    {
        var byPath = await _app.PostWebhookAsync(Sample("MESSAGE_SENT"), "/webhooks/welink/MESSAGE_SENT?account=acc-7");
        var byQuery = await _app.PostWebhookAsync(Sample("PROFILE_VIEWED"), "/webhooks/welink?event=profile_viewed&account=acc-8");
        Assert.Equal(HttpStatusCode.OK, byPath.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);

        var rows = _app.Rows("SELECT EventType, TypeSource, AccountId, AccountSource FROM Events ORDER BY Id")
            .Select(r => ((string?)r[0], (string?)r[1], (string?)r[2], (string?)r[3])).ToList();
        Assert.Equal([("MESSAGE_SENT", "Hinted", "acc-7", "Hinted"), ("PROFILE_VIEWED", "Hinted", "acc-8", "Hinted")], rows);
    }

    [Fact]
    public async Task Post_EveryHmacVector_AnsweredByItsValidity()
    {
        var vectors = TestFixtures.HmacVectors().Where(v => v.Secret == DashboardApp.Secret).ToList();
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            var response = await _app.PostWebhookAsync(vector.Body);
            var expected = vector.Valid ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
            Assert.True(expected == response.StatusCode, $"{vector.Name}: expected {expected}, got {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Post_32ConcurrentIdenticalDeliveries_StoredOnce()
    {
        var body = Sample("LOGIN_PIN_REQUIRED");
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => _app.PostWebhookAsync(body)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, EventCount());
        Assert.Equal(32, _app.Scalar<long>("SELECT DeliveryCount FROM Events"));
        Assert.Equal(1, _app.Scalar<long>("SELECT COUNT(*) FROM PinRequests"));
    }

    private async Task AssertRejectionCountedAsync(string reason)
    {
        var counter = _app.Services.GetService(typeof(WeLink.Dashboard.Features.Ingest.RejectedDeliveries)) as WeLink.Dashboard.Features.Ingest.RejectedDeliveries;
        Assert.NotNull(counter);
        Assert.True(counter.Totals.GetValueOrDefault(reason) > 0);
        await counter.FlushAsync(CancellationToken.None);
        Assert.True(_app.Scalar<long>("SELECT COALESCE(SUM(Count), 0) FROM RejectedDeliveryCounts WHERE Reason = $r", ("$r", reason)) > 0);
    }
}
