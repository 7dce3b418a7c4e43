using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.IntegrationTests.Security;
using WeLink.Dashboard.Live;

namespace WeLink.Dashboard.IntegrationTests.Live;

/// <summary>The hub over real Kestrel: connections end with their sign-in, and browsers from other sites are refused.</summary>
public sealed class HubSecurityTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A connection carrying <paramref name="browser"/>'s sign-in cookie, as a page's script would.</summary>
    private static HubConnection CookieConnection(DashboardApp app, SignInFlow browser) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.BaseAddress, EventsHub.Route), o => o.Cookies = browser.Cookies)
        .Build();

    private static async Task<(HubConnection Connection, TaskCompletionSource Closed)> ConnectAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        Assert.Equal(HubConnectionState.Connected, connection.State);
        return (connection, closed);
    }

    [Fact]
    public async Task Hub_DisabledOperatorsConnection_IsClosed_OthersStayOpen()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var admin = app.Services.GetRequiredService<OperatorAdministration>();
        Assert.True((await admin.AddAsync("hana", Roles.Viewer, "viewer-password-1", "test")).Succeeded);
        using var browser = SignInFlow.For(app);
        await browser.SignInAsync("hana", "viewer-password-1");
        var (hana, hanaClosed) = await ConnectAsync(CookieConnection(app, browser));
        await using var _ = hana;
        var (token, tokenClosed) = await ConnectAsync(app.CreateHubConnection(EventsHub.Route));
        await using var __ = token;

        var id = (await admin.ListAsync(CancellationToken.None)).Single(o => o.UserName == "hana").Id;
        Assert.True((await admin.SetDisabledAsync(id, true, "test")).Succeeded);

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(hanaClosed.Task.IsCompleted), TimeSpan.FromSeconds(15)),
            "The disabled operator's hub connection stayed open.");
        Assert.False(tokenClosed.Task.IsCompleted);
        Assert.Equal(HubConnectionState.Connected, token.State);
    }

    [Fact]
    public async Task Hub_SignOut_ClosesThatSignInsConnectionOnly()
    {
        using var app = DashboardApp.Start(_dir.Path);
        using var desk = SignInFlow.For(app);
        using var phone = SignInFlow.For(app);
        await desk.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        await phone.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        var (deskHub, deskClosed) = await ConnectAsync(CookieConnection(app, desk));
        await using var _ = deskHub;
        var (phoneHub, phoneClosed) = await ConnectAsync(CookieConnection(app, phone));
        await using var __ = phoneHub;

        var page = await (await desk.Client.GetAsync("/events")).Content.ReadAsStringAsync();
        var signOut = await desk.Client.PostAsync(SignInRoutes.SignOut, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = SignInFlow.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(deskClosed.Task.IsCompleted), TimeSpan.FromSeconds(15)),
            "The signed-out hub connection stayed open.");
        Assert.False(phoneClosed.Task.IsCompleted);
    }

    private static async Task<HttpStatusCode> NegotiateAsync(DashboardApp app, string? origin)
    {
        using var client = app.CreateHttpClient(DashboardApp.ViewerToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, EventsHub.Route + "/negotiate?negotiateVersion=1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Hub_CrossOriginBrowser_IsRefused_OwnConfiguredAndNoOriginAllowed()
    {
        using var app = DashboardApp.Start(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Dashboard:PublicUrl"] = "https://dashboard.example.com/",
            ["Dashboard:AllowedOrigins:0"] = "https://wallboard.example.com",
        });

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(app, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(app, "null"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(app, null));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(app, $"http://{app.BaseAddress.Authority}"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(app, "https://dashboard.example.com"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(app, "https://wallboard.example.com"));

        // A WebSocket opened straight away (skipNegotiation), as a page on another site could.
        var socketUri = new UriBuilder(new Uri(app.BaseAddress, EventsHub.Route)) { Scheme = "ws", Query = "access_token=" + DashboardApp.ViewerToken }.Uri;
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "https://evil.example");
            var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() => foreign.ConnectAsync(socketUri, CancellationToken.None));
            Assert.Contains("403", refused.Message);
        }
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", $"http://{app.BaseAddress.Authority}");
        await own.ConnectAsync(socketUri, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, own.State);
    }
}
