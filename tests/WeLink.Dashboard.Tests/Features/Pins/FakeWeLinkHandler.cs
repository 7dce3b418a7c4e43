using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace WeLink.Dashboard.Tests.Features.Pins;

/// <summary>Stands in for We-Link's REST API: records each call and answers as told.</summary>
public sealed class FakeWeLinkHandler : HttpMessageHandler
{
    public ConcurrentQueue<(string Path, JsonElement Body)> Requests { get; } = new();

    /// <summary>When set, answers wait for it: a submission stays in flight until the test releases it.</summary>
    public TaskCompletionSource? Gate { get; set; }
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;
    public string ResponseBody { get; set; } = "{}";

    public IReadOnlyList<JsonElement> LoginCodes => Requests.Where(r => r.Path == "/api/v1/login_code").Select(r => r.Body).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken);
        using (var document = JsonDocument.Parse(text)) Requests.Enqueue((request.RequestUri!.AbsolutePath, document.RootElement.Clone()));
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return new HttpResponseMessage(Status) { Content = new StringContent(ResponseBody, Encoding.UTF8, "application/json") };
    }
}
