using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>We-Link's answer to a forwarded call, or why there is none.</summary>
public sealed record ForwardedAnswer(int Status, byte[] Body, string? ContentType, bool Unreachable = false, bool TimedOut = false);

/// <summary>
/// Sends one action to <c>{WeLink:ApiBaseUrl}/api/v1/{action}</c> with the body, its content type
/// and the configured credentials, nothing else of the caller's request. No retry: an action is a
/// POST that We-Link may already have carried out. No answer within <c>Gateway:Timeout</c> is a 504.
/// </summary>
public sealed class GatewayForwarder(HttpClient http, IOptions<WeLinkOptions> options)
{
    public bool IsConfigured => options.Value.HasApiCredentials;

    public async Task<ForwardedAnswer> ForwardAsync(string action, byte[] body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/" + action) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", options.Value.ApiKey);
        request.Headers.Add("x-api-secret", options.Value.ApiSecret);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new ForwardedAnswer((int)response.StatusCode, answer, response.Content.Headers.ContentType?.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ForwardedAnswer(StatusCodes.Status504GatewayTimeout, [], null, TimedOut: true);
        }
        catch (HttpRequestException)
        {
            return new ForwardedAnswer(StatusCodes.Status502BadGateway, [], null, Unreachable: true);
        }
    }
}
