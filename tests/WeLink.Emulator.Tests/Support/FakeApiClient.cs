using System.Net;
using System.Text;
using System.Text.Json;

namespace WeLink.Emulator.Tests.Support;

/// <summary>Calls the fake We-Link API the way the dashboard would: POST, JSON, key headers.</summary>
public sealed class FakeApiClient(Uri baseAddress, string? apiKey, string? apiSecret) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress };

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string call, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/" + call) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null) request.Headers.Add("x-api-key", apiKey);
        if (apiSecret is not null) request.Headers.Add("x-api-secret", apiSecret);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public void Dispose() => _http.Dispose();
}
