namespace WeLink.Dashboard.Hosting;

/// <summary>Outgoing HTTP calls without their headers: method, address, status, time.</summary>
public sealed class HeaderFreeHttpClientLogger(ILogger<HeaderFreeHttpClientLogger> logger) : Microsoft.Extensions.Http.Logging.IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        logger.LogDebug("HTTP {Method} {Uri} answered {StatusCode} in {Elapsed:0.0} ms",
            request.Method, Scrub(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        logger.LogDebug("HTTP {Method} {Uri} failed after {Elapsed:0.0} ms: {Error}",
            request.Method, Scrub(request.RequestUri), elapsed.TotalMilliseconds, exception.GetType().Name);

    // No query string: it may carry a token.
    private static string? Scrub(Uri? uri) => uri?.GetLeftPart(UriPartial.Path);
}
