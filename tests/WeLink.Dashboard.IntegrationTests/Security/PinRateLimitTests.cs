using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Pins;

namespace WeLink.Dashboard.IntegrationTests.Security;

public sealed class PinRateLimitTests : IDisposable
{
    private readonly DashboardApp _app;

    public PinRateLimitTests() =>
        _app = DashboardApp.StartInTempDirectory(settings: new Dictionary<string, string?> { ["Dashboard:PinSubmissionsPerMinute"] = "3" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PinSubmissions_BeyondTheRate_Answer429PerCaller()
    {
        using var operatorClient = _app.CreateHttpClient(DashboardApp.OperatorToken);
        for (var i = 0; i < 3; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await operatorClient.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" })).StatusCode);

        var refused = await operatorClient.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Too many PIN submissions", await refused.Content.ReadAsStringAsync());
        // Another caller has a budget of its own.
        using var adminClient = _app.CreateHttpClient(DashboardApp.AdminToken);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await adminClient.PostAsJsonAsync("/api/pins/r-1", new { code = "123456" })).StatusCode);
    }

    [Fact]
    public async Task PageAndApi_ShareOneBudget()
    {
        var limiter = _app.Services.GetRequiredService<PinSubmissionRateLimiter>();
        Assert.True((await limiter.TryAcquireAsync("token:tests-operator", CancellationToken.None)).Allowed);
        Assert.True((await limiter.TryAcquireAsync("token:tests-operator", CancellationToken.None)).Allowed);

        using var operatorClient = _app.CreateHttpClient(DashboardApp.OperatorToken);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await operatorClient.PostAsJsonAsync("/api/pins/r-2", new { code = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await operatorClient.PostAsJsonAsync("/api/pins/r-2", new { code = "123456" })).StatusCode);
        var refused = await limiter.TryAcquireAsync("token:tests-operator", CancellationToken.None);
        Assert.False(refused.Allowed);
        Assert.NotNull(refused.RetryAfter);
        Assert.Contains("try again in", PinSubmissionRateLimiter.RejectionMessage(refused.RetryAfter));
    }

    [Fact]
    public async Task ReadingPins_IsNotLimited()
    {
        using var operatorClient = _app.CreateHttpClient(DashboardApp.OperatorToken);
        for (var i = 0; i < 6; i++) Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/pins")).StatusCode);
    }
}
