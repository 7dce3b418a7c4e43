using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;
using WeLink.Webhooks;

namespace WeLink.Dashboard.ReliabilityTests;

public sealed class BadInputTests
{
    private const string Route = "/webhooks/welink";

    /// <summary>One hostile request and the answers design.md allows for it.</summary>
    private sealed record Case(string Name, HttpMethod Method, string Path, byte[]? Body, string? ContentType, int[] Expected,
        (string Name, string Value)[]? Headers = null)
    {
        public override string ToString() => Name;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
    private static byte[] Signed(string json) => Utf8(WebhookSigner.Sign(json, SignedEvents.Secret));
    private static Case Post(string name, byte[] body, params int[] expected) => new(name, HttpMethod.Post, Route, body, "application/json", expected);

    private static IEnumerable<Case> Cases()
    {
        const int ok = 200, bad = 400, unauthorized = 401, tooLarge = 413, unsupported = 415;
        yield return Post("not JSON", Utf8("hello, webhook"), bad);
        yield return Post("empty body", [], bad);
        yield return Post("truncated JSON", Utf8("{\"status\":\"SUCC"), bad);
        yield return Post("trailing garbage", Utf8("{}xyz"), bad);
        yield return Post("JSON array", Utf8("[1,2,3]"), bad);
        yield return Post("JSON string", Utf8("\"SUCCESS\""), bad);
        yield return Post("JSON number", Utf8("42"), bad);
        yield return Post("JSON null", Utf8("null"), bad);
        yield return Post("NaN literal", Utf8("{\"status\":NaN}"), bad);
        yield return Post("missing hash", Utf8("{\"status\":\"SUCCESS\",\"request_id\":\"r-1\"}"), unauthorized);
        yield return Post("wrong hash", Utf8("{\"status\":\"SUCCESS\",\"request_id\":\"r-1\",\"hash\":\"" + new string('0', 64) + "\"}"), unauthorized);
        yield return Post("hash of the wrong type", Utf8("{\"status\":\"SUCCESS\",\"hash\":12345}"), unauthorized);
        yield return Post("hash of another secret", Utf8(WebhookSigner.Sign("{\"status\":\"SUCCESS\"}", "not-the-secret")), unauthorized);
        yield return Post("fake JWT hash", Utf8("{\"status\":\"SUCCESS\",\"hash\":\"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ4IjoxfQ.AAAA\"}"), unauthorized);
        yield return new Case("text/plain", HttpMethod.Post, Route, Signed("{\"status\":\"SUCCESS\"}"), "text/plain", [unsupported]);
        yield return new Case("no content type", HttpMethod.Post, Route, Signed("{\"status\":\"SUCCESS\"}"), null, [unsupported]);
        yield return new Case("application/xml", HttpMethod.Post, Route, Utf8("<status>SUCCESS</status>"), "application/xml", [unsupported]);
        yield return new Case("form post", HttpMethod.Post, Route, Utf8("status=SUCCESS"), "application/x-www-form-urlencoded", [unsupported]);
        yield return Post("body over 256 KiB", Utf8("{\"status\":\"" + new string('x', 300 * 1024) + "\"}"), tooLarge);
        yield return Post("deep nesting, 10,000 arrays", Utf8(new string('[', 10_000) + new string(']', 10_000)), bad);
        yield return Post("deep nesting inside result", Utf8("{\"status\":\"SUCCESS\",\"result\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) + "}"), bad);
        yield return Post("invalid UTF-8 in a string", [.. Utf8("{\"status\":\""), 0xC3, 0x28, 0xFF, .. Utf8("\",\"hash\":\"00\"}")], bad, unauthorized);
        yield return Post("lone surrogate escape", Utf8("{\"status\":\"\\ud800\",\"hash\":\"00\"}"), bad, unauthorized);
        yield return Post("UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. Signed("{\"status\":\"SUCCESS\",\"request_id\":\"bom-1\"}")], ok, bad);
        yield return Post("huge string (200 KB), signed", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"huge-1\",\"message\":\"" + new string('é', 100_000) + "\"}"), ok);
        yield return Post("result is a string", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"t-1\",\"result\":\"connected\"}"), ok);
        yield return Post("result is an array", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"t-2\",\"result\":[{\"connected\":true}]}"), ok);
        yield return Post("result fields of the wrong types", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"t-3\",\"result\":{\"connected\":\"yes\",\"email\":42,\"first_name\":[],\"profile_id\":{}}}"), ok);
        yield return Post("status and request id of the wrong types", Signed("{\"status\":123,\"request_id\":{\"id\":1},\"error\":false,\"message\":null}"), ok);
        yield return Post("script in the message", Signed("{\"status\":\"FAILED\",\"request_id\":\"x-1\",\"message\":\"<script>alert('x')</script><img src=x onerror=alert(1)>\"}"), ok);
        yield return Post("SQL in the ids", Signed("{\"status\":\"FAILED\",\"request_id\":\"'; DROP TABLE Events; --\",\"account_id\":\"acc' OR '1'='1\",\"error\":\"X\\\"); DELETE FROM Accounts; --\"}"), ok);
        yield return Post("control characters and emoji", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"c-1\",\"message\":\"\\u0000\\u0007\\u001b[31m 👍🏽 \\u2028\"}"), ok);
        yield return Post("duplicate keys", Signed("{\"status\":\"SUCCESS\",\"status\":\"FAILED\",\"request_id\":\"d-1\"}"), ok, unauthorized);
        yield return Post("5,000 members", Signed("{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":{i}")) + "}"), ok);
        yield return Post("account id of 10,000 characters", Signed("{\"status\":\"SUCCESS\",\"account_id\":\"" + new string('a', 10_000) + "\"}"), ok);
        yield return Post("huge numbers", Signed("{\"status\":\"SUCCESS\",\"request_id\":123456789012345678901234567890,\"result\":{\"profile_id\":-1.5e300}}"), ok, unauthorized);
        yield return new Case("event hint with markup", HttpMethod.Post, Route + "/%3Cscript%3Ealert(1)%3C%2Fscript%3E?account=%27%3B--", Signed("{\"status\":\"SUCCESS\",\"request_id\":\"h-1\"}"), "application/json", [ok]);
        yield return new Case("charset utf-16 declared", HttpMethod.Post, Route, Encoding.Unicode.GetBytes("{\"status\":\"SUCCESS\"}"), "application/json; charset=utf-16", [bad, unauthorized, unsupported]);
        yield return new Case("GET", HttpMethod.Get, Route, null, null, [404, 405]);
        yield return new Case("PUT", HttpMethod.Put, Route, Signed("{\"status\":\"SUCCESS\"}"), "application/json", [405]);
        yield return new Case("DELETE", HttpMethod.Delete, Route, null, null, [405]);
        yield return new Case("PATCH", HttpMethod.Patch, Route, Signed("{\"status\":\"SUCCESS\"}"), "application/json", [405]);
        yield return new Case("query string of 20 KB", HttpMethod.Post, Route + "?account=" + new string('a', 20_000), Signed("{\"status\":\"SUCCESS\"}"), "application/json", [414, 400, 431]);
        yield return new Case("header of 40 KB", HttpMethod.Post, Route, Signed("{\"status\":\"SUCCESS\"}"), "application/json", [431, 400],
            [("X-Padding", new string('p', 40_000))]);
        yield return new Case("200 headers", HttpMethod.Post, Route, Signed("{\"status\":\"SUCCESS\",\"request_id\":\"many-headers\"}"), "application/json", [ok, 431, 400],
            [.. Enumerable.Range(0, 200).Select(i => ($"X-H{i}", "v"))]);
    }

    [Fact]
    public async Task Ingest_HostileRequests_AnsweredAsDesignedNever5xx_AndServerHealthyAfterwards()
    {
        using var folder = new TestFolder();
        await using var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs);
        var cases = Cases().ToList();
        Assert.True(cases.Count >= 30);

        var wrong = new List<string>();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(c.Method, c.Path);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                request.Content.Headers.ContentType = c.ContentType is null ? null : MediaTypeHeaderValue.Parse(c.ContentType);
            }
            foreach (var (name, value) in c.Headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
            int status;
            try
            {
                using var answer = await server.Http.SendAsync(request);
                status = (int)answer.StatusCode;
            }
            catch (HttpRequestException ex)
            {
                status = -1;
                wrong.Add($"{c.Name}: connection failed ({ex.Message})");
                continue;
            }
            if (!c.Expected.Contains(status)) wrong.Add($"{c.Name}: answered {status}, expected {string.Join(" or ", c.Expected)}");
        }

        Assert.Empty(wrong);
        Assert.Equal(HttpStatusCode.OK, await server.HealthAsync());
        // And it still stores a good event.
        var good = SignedEvents.Make(1, "after-bad-input")[0];
        using var stored = await server.Http.PostAsync(good.Path, good.Content());
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("ok", SignedEvents.IntegrityCheck(folder.Database));
    }
}
