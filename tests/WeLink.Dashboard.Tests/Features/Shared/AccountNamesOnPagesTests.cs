using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Overview;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Tests.Components;
using WeLink.Dashboard.Tests.Features.Pins;

namespace WeLink.Dashboard.Tests.Features.Shared;

/// <summary>
/// Every page that lists accounts shows a named one by name (and e-mail), with its id on hover and a
/// copy button, and one nobody named by its id.
/// </summary>
public class AccountNamesOnPagesTests : DashboardComponentTest
{
    internal const string Named = "6df95e3c-b9a6-42b6-9c1e-000000000001";
    internal const string Bare = "0a1b2c3d-0000-4000-8000-000000000002";

    private Task NameAsync() =>
        IngestAsync("""{"status":"SUCCESS","request_id":"login-1","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com","public_identifier":"priya"}}""",
            "LOGIN_SUCCESS", Named);

    private async Task FailBothAsync()
    {
        await IngestAsync("""{"status":"FAILED","request_id":"c1","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", Named);
        await IngestAsync("""{"status":"FAILED","request_id":"c2","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", Bare);
    }

    private async Task PinBothAsync()
    {
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"pin-1","message":"code"}""", accountHint: Named);
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"pin-2","message":"code"}""", accountHint: Bare);
    }

    internal static IElement Label<T>(IRenderedComponent<T> cut, string accountId) where T : IComponent =>
        cut.Find($"[data-testid=account-label][data-account-id='{accountId}']");

    /// <summary>The named account by name and e-mail, id on hover, a copy button; the other by id alone.</summary>
    internal static void AssertNamedAndBare<T>(IRenderedComponent<T> cut) where T : IComponent
    {
        var named = Label(cut, Named);
        Assert.Equal("Priya Kowalski", named.QuerySelector("[data-testid=account-name]")!.TextContent.Trim());
        Assert.Equal("priya@example.com", named.QuerySelector("[data-testid=account-email]")!.TextContent.Trim());
        Assert.Contains(Named, named.GetAttribute("title"));
        Assert.DoesNotContain(Named, named.QuerySelector(".wl-account-text")!.TextContent);
        Assert.NotNull(named.QuerySelector("button[aria-label='Copy the account id of Priya Kowalski']"));

        var bare = Label(cut, Bare);
        Assert.Equal(Bare, bare.QuerySelector("[data-testid=account-name]")!.TextContent.Trim());
        Assert.Null(bare.QuerySelector("[data-testid=account-email]"));
        Assert.Contains(Bare, bare.GetAttribute("title"));
    }

    [Fact]
    public async Task ErrorsPage_NamedAndUnnamedAccounts_ShownByNameAndById()
    {
        await NameAsync();
        await FailBothAsync();
        var cut = RenderPage<ErrorsPage>("/errors");
        cut.WaitForAssertion(() => AssertNamedAndBare(cut), WaitTimeout);
    }

    [Fact]
    public async Task ConnectionsPage_NamedAndUnnamedAccounts_ShownByNameAndById()
    {
        await NameAsync();
        await FailBothAsync();
        var cut = RenderPage<ConnectionsPage>("/connections");
        cut.WaitForAssertion(() => AssertNamedAndBare(cut), WaitTimeout);
    }

    [Fact]
    public async Task EventLogPage_NamedAndUnnamedAccounts_ShownByNameAndByIdOnEachRow()
    {
        await NameAsync();
        await FailBothAsync();
        var cut = RenderPage<EventLogPage>("/events?type=CONNECTION_FAILED");
        cut.WaitForAssertion(() => AssertNamedAndBare(cut), WaitTimeout);
    }

    [Fact]
    public async Task EventDetailDrawer_NamedAccount_ShowsNameAndFullId()
    {
        await NameAsync();
        var stored = await IngestAsync("""{"status":"FAILED","request_id":"c1","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", Named);
        var cut = RenderPage<EventLogPage>($"/events?event={stored.EventId}");
        cut.WaitForAssertion(() =>
        {
            var label = cut.Find("[data-testid=detail-account] [data-testid=account-label]");
            Assert.Equal("Priya Kowalski", label.QuerySelector("[data-testid=account-name]")!.TextContent.Trim());
            Assert.Contains(Named, label.GetAttribute("title"));
            Assert.Equal(Named, cut.Find("[data-testid=detail-account-id]").TextContent.Trim());
        }, WaitTimeout);
    }

    [Fact]
    public async Task EventDetailDrawer_UnnamedAccount_ShowsTheId()
    {
        var stored = await IngestAsync("""{"status":"FAILED","request_id":"c2","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", Bare);
        var cut = RenderPage<EventLogPage>($"/events?event={stored.EventId}");
        cut.WaitForAssertion(() =>
        {
            var label = cut.Find("[data-testid=detail-account] [data-testid=account-label]");
            Assert.Equal(Bare, label.QuerySelector("[data-testid=account-name]")!.TextContent.Trim());
            Assert.Empty(cut.FindAll("[data-testid=detail-account-id]"));
        }, WaitTimeout);
    }

    [Fact]
    public async Task OverviewPage_WaitingPins_NameTheAccounts()
    {
        await NameAsync();
        await PinBothAsync();
        var cut = RenderPage<OverviewPage>("/");
        cut.WaitForAssertion(() =>
        {
            var waiting = cut.Find("[data-testid=waiting-accounts]");
            Assert.Contains("Priya Kowalski", waiting.TextContent);
            Assert.Contains(Bare, waiting.TextContent);
            AssertNamedAndBare(cut);
        }, WaitTimeout);
    }
}

/// <summary>The PIN inbox needs a signed-in operator (its cards hold the PIN form).</summary>
public class AccountNamesOnPinInboxTests : WeLinkApiComponentTest
{
    private const string Named = AccountNamesOnPagesTests.Named;
    private const string Bare = AccountNamesOnPagesTests.Bare;

    [Fact]
    public async Task PinInboxPage_NamedAndUnnamedAccounts_CardsShowNameAndId()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"login-1","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com","public_identifier":"priya"}}""",
            "LOGIN_SUCCESS", Named);
        await PinRequiredAsync("pin-1", Named);
        await PinRequiredAsync("pin-2", Bare);
        SignIn("alice", Roles.Operator);
        var cut = RenderPage<PinInboxPage>("/pins");
        cut.WaitForAssertion(() =>
        {
            AccountNamesOnPagesTests.AssertNamedAndBare(cut);
            Assert.NotNull(cut.Find("[aria-label='PIN request for Priya Kowalski']"));
            Assert.NotNull(cut.Find($"[aria-label='PIN request for {Bare}']"));
        }, WaitTimeout);
    }
}
