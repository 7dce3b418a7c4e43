using System.Text;
using System.Text.Json;
using WeLink.Dashboard.Features.Requests;

namespace WeLink.Dashboard.Tests.Features.Requests;

public class RequestTrackerTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"status":"PENDING"}""")]
    [InlineData("""{"status":" processing "}""")]
    public void ResultOf_NoResultYet_IsNull(string answer) => Assert.Null(RequestTracker.ResultOf(Bytes(answer), "r-1"));

    [Fact]
    public void ResultOf_ResultNamingItsRequest_KeptByteForByte()
    {
        var answer = Bytes("""{ "status": "SUCCESS", "request_id": "r-1", "result": {"connected": true} }""");
        Assert.Same(answer, RequestTracker.ResultOf(answer, "r-1"));
    }

    [Fact]
    public void ResultOf_ResultWithoutRequestId_GetsTheIdItWasAskedFor()
    {
        var body = RequestTracker.ResultOf(Bytes("""{"status":"FAILED","error":"PROXY_ERROR"}"""), "r-2");
        using var document = JsonDocument.Parse(body!);
        Assert.Equal(("r-2", "PROXY_ERROR"), (document.RootElement.GetProperty("request_id").GetString(), document.RootElement.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(4, 480)]
    [InlineData(40, 7200)]
    public void Backoff_DoublesPerAttemptUpToTwoHours(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RecordRequestPoll.Backoff(TimeSpan.FromMinutes(1), attempts));

    [Fact]
    public void SlidingWindowLimit_FullWindow_RefusesUntilTheOldestTakeLeavesIt()
    {
        var limit = new SlidingWindowLimit(2, TimeSpan.FromMinutes(1));
        var t0 = DateTimeOffset.UnixEpoch;
        Assert.True(limit.TryTake(t0));
        Assert.True(limit.TryTake(t0.AddSeconds(30)));
        Assert.False(limit.TryTake(t0.AddSeconds(59)));
        Assert.Equal(0, limit.Available(t0.AddSeconds(59)));
        Assert.True(limit.TryTake(t0.AddSeconds(60)));
        Assert.False(limit.TryTake(t0.AddSeconds(61)));
    }
}
