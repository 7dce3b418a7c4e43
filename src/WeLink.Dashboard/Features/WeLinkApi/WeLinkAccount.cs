using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.WeLinkApi;

public sealed record WeLinkAccount(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("email")] string? Email);
