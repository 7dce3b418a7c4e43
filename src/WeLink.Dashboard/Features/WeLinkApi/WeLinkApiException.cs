using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.WeLinkApi;

/// <summary>An answer from We-Link that was not a success, or no answer at all. The message never holds credentials or the PIN.</summary>
public sealed class WeLinkApiException(string message, HttpStatusCode? status = null, bool timedOut = false, Exception? inner = null, string? apiMessage = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
    /// <summary>The <c>message</c> of We-Link's answer, when it had one.</summary>
    public string? ApiMessage { get; } = apiMessage;
    public bool TimedOut { get; } = timedOut;
}
