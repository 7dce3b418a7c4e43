using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Who gets in where: signed out, with each token role, with a wrong token.</summary>
public sealed partial class AccessTests : IDisposable
{
    private readonly DashboardApp _app;
    private readonly HttpClient _anonymous;

    public AccessTests()
    {
        _app = DashboardApp.StartInTempDirectory();
        _anonymous = _app.CreateHttpClient();
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task EveryPage_SignedOut_RedirectsToSignInWithReturnUrl()
    {
        var pages = Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
                && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => Concrete(e.RoutePattern.RawText!)).Distinct().ToList();
        Assert.Contains("/admin/operators", pages);
        pages.Add("/no-such-page");

        foreach (var page in pages)
        {
            var response = await _anonymous.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} answered {(int)response.StatusCode}");
            var location = response.Headers.Location!.OriginalString;
            Assert.StartsWith(SignInRoutes.Page + "?returnUrl=", location.Replace(_app.BaseAddress.GetLeftPart(UriPartial.Authority), ""));
            Assert.Contains(Uri.EscapeDataString(page), location);
        }
    }

    [Fact]
    public async Task EveryApiRoute_SignedOut_Answers401()
    {
        var routes = Endpoints().Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: Concrete(e.RoutePattern.RawText!))))
            .Distinct().ToList();
        Assert.Contains(("POST", "/api/pins/1"), routes);

        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : JsonContent.Create(new { }) };
            var response = await _anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Api_WrongToken_Answers401()
    {
        using var client = _app.CreateHttpClient("not-a-configured-token-at-all");
        var response = await client.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("not-a-configured-token-at-all", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(DashboardApp.ViewerToken)]
    [InlineData(DashboardApp.OperatorToken)]
    [InlineData(DashboardApp.AdminToken)]
    public async Task Api_AnyRoleToken_Reads(string token)
    {
        using var client = _app.CreateHttpClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/pins")).StatusCode);
    }

    [Fact]
    public async Task PinSubmission_ViewerToken_Answers403()
    {
        using var client = _app.CreateHttpClient(DashboardApp.ViewerToken);
        var response = await client.PostAsJsonAsync("/api/pins/x", new { code = "123456" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PinSubmission_ViewerCookie_Answers403()
    {
        var admin = _app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("vera", "Viewer", "viewer-password-1", "test")).Succeeded);
        using var browser = SignInFlow.For(_app);
        await browser.SignInAsync("vera", "viewer-password-1");

        var response = await browser.Client.PostAsJsonAsync("/api/pins/x", new { code = "123456" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/pins")).StatusCode);
    }

    [Fact]
    public async Task PinSubmission_OperatorToken_PassesAuthorization()
    {
        using var client = _app.CreateHttpClient(DashboardApp.OperatorToken);
        var response = await client.PostAsJsonAsync("/api/pins/no-such-request", new { code = "123456" });
        // No We-Link credentials in this app: the service answers, not the authorization.
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AdminPage_ViewerCookie_IsDenied()
    {
        var admin = _app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("vic", "Viewer", "viewer-password-2", "test")).Succeeded);
        using var browser = SignInFlow.For(_app);
        await browser.SignInAsync("vic", "viewer-password-2");

        var response = await browser.Client.GetAsync("/admin/operators");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(SignInRoutes.AccessDenied, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Hub_AnonymousClient_IsRefused()
    {
        await using var connection = _app.CreateHubConnection(EventsHub.Route, bearerToken: null);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Hub_WrongToken_IsRefused()
    {
        await using var connection = _app.CreateHubConnection(EventsHub.Route, bearerToken: "not-a-configured-token-at-all");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Hub_ViewerToken_Connects()
    {
        await using var connection = _app.CreateHubConnection(EventsHub.Route, DashboardApp.ViewerToken);
        await connection.StartAsync();
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Hub_TokenInQueryString_Connects()
    {
        // What a browser's SignalR client does: WebSockets cannot carry a header.
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.BaseAddress, EventsHub.Route + "?access_token=" + DashboardApp.ViewerToken), HttpTransportType.WebSockets,
                o => o.SkipNegotiation = true)
            .Build();
        await connection.StartAsync();
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/signin")]
    [InlineData("/favicon.svg")]
    [InlineData("/dashboard.css")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    public async Task OpenPaths_SignedOut_Answer200(string path)
    {
        var response = await _anonymous.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task SignInPage_LinksOnlyAssetsItCanLoadSignedOut()
    {
        var html = await (await _anonymous.GetAsync(SignInRoutes.Page)).Content.ReadAsStringAsync();
        foreach (Match asset in AssetReference().Matches(html))
        {
            var url = asset.Groups[1].Value;
            if (url.StartsWith("http", StringComparison.Ordinal)) continue;
            var response = await _anonymous.GetAsync("/" + url.TrimStart('/'));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Webhook_WithoutSignInOrToken_IsAccepted()
    {
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"open-1","result":{"connected":true}}""", DashboardApp.Secret);
        var response = await _anonymous.PostAsync("/webhooks/welink", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    /// <summary>A request path for a route pattern: every parameter becomes "1" (fits ids and names alike).</summary>
    private static string Concrete(string pattern) => "/" + RouteParameter().Replace(pattern.TrimStart('/'), "1");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("(?:href|src)=\"([^\"#]+\\.(?:css|js|svg))\"")]
    private static partial Regex AssetReference();
}
