using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.WeLinkApi;

/// <summary>The We-Link REST calls the dashboard makes (typed <see cref="HttpClient"/>).</summary>
public sealed class WeLinkApiClient(HttpClient http, IOptions<WeLinkOptions> options, ILogger<WeLinkApiClient> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public bool IsConfigured => options.Value.HasApiCredentials;

    /// <summary>Submits a 2FA PIN; the login's outcome arrives later by webhook.</summary>
    public Task SubmitLoginCodeAsync(string accountId, string code, string requestId, CancellationToken cancellationToken) =>
        PostAsync("/api/v1/login_code", new { accountId, code, requestId }, cancellationToken);

    public async Task<IReadOnlyList<WeLinkAccount>> GetAllAccountsAsync(CancellationToken cancellationToken)
    {
        using var response = await PostAsync("/api/v1/get_all_ln_accounts", new { }, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<List<WeLinkAccount>>(cancellationToken) ?? [];
        }
        catch (JsonException ex)
        {
            throw new WeLinkApiException("We-Link answered get_all_ln_accounts with something that is not an account list.", inner: ex);
        }
    }

    /// <summary>
    /// The stored result of a request (<c>get_response</c>), as We-Link sent it; null when We-Link has
    /// none (404). Any other failure (5xx, 401, 429, no answer) throws: it says nothing about the request.
    /// </summary>
    public async Task<byte[]?> GetResponseAsync(string requestId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync("/api/v1/get_response", new { requestId }, cancellationToken);
            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (WeLinkApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>What <c>/me</c> answers for an account whose session We-Link could not keep.</summary>
    public const string AccountNotActiveMessage = "Linked account not active";

    /// <summary>
    /// The live-session check: true when <c>/me</c> answers with the profile, false when it answers
    /// "Linked account not active"; any other answer (5xx, 401, 429, none) throws, since it says nothing about the session.
    /// </summary>
    public async Task<bool> IsSessionActiveAsync(string accountId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync("/api/v1/me", new { accountId }, cancellationToken);
            return true;
        }
        catch (WeLinkApiException ex) when (ex.Status == System.Net.HttpStatusCode.BadRequest
            && string.Equals(ex.ApiMessage?.Trim(), AccountNotActiveMessage, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        if (!IsConfigured) throw new WeLinkApiException("We-Link API credentials are not configured (WeLink:ApiKey and WeLink:ApiSecret).");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("x-api-key", options.Value.ApiKey);
        request.Headers.Add("x-api-secret", options.Value.ApiSecret);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WeLinkApiException($"We-Link did not answer {path} within {Timeout.TotalSeconds:0} s.", timedOut: true, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new WeLinkApiException($"We-Link could not be reached for {path}: {ex.Message}", inner: ex);
        }

        if (response.IsSuccessStatusCode) return response;
        var (message, apiMessage) = await ReadMessageAsync(response, cancellationToken);
        logger.LogWarning("We-Link answered {Path} with {Status}", path, (int)response.StatusCode);
        response.Dispose();
        throw new WeLinkApiException($"We-Link answered {(int)response.StatusCode} to {path}: {message}", response.StatusCode, apiMessage: apiMessage);
    }

    /// <summary>The text to report, and We-Link's own <c>message</c> when the body had one.</summary>
    private static async Task<(string Text, string? ApiMessage)> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return (message.GetString()!, message.GetString());
        }
        catch (JsonException)
        {
        }
        return (text.Length > 200 ? text[..200] : (text.Length == 0 ? response.ReasonPhrase ?? "no reason given" : text), null);
    }
}
