using System.Net;
using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Tests.Features.Pins;

public class PinInboxPageTests : WeLinkApiComponentTest
{
    private static readonly TimeSpan ManyCardsTimeout = TimeSpan.FromSeconds(30);

    private IRenderedComponent<PinInboxPage> RenderInbox() => RenderPage<PinInboxPage>();

    private static IElement PinBox(IRenderedComponent<PinInboxPage> cut, string requestId) => cut.Find($"#pin-{requestId}");

    private static async Task TypeAndSubmitAsync(IRenderedComponent<PinInboxPage> cut, string requestId, string pin)
    {
        await PinBox(cut, requestId).InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = pin });
        await cut.Find($"[data-request-id='{requestId}'] form").SubmitAsync();
    }

    [Fact]
    public void PinInbox_NothingPending_SaysSo()
    {
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No pending PIN requests", cut.Markup);
            Assert.Contains("No finished PIN requests yet", cut.Markup);
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_RequestArrives_AppearsLiveWithLabelledBoxAndCountdown()
    {
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => Assert.Contains("No pending PIN requests", cut.Markup), WaitTimeout);

        await PinRequiredAsync("r1", "acc-1");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("PIN for acc-1", cut.Find("label[for='pin-r1']").TextContent.Trim());
            Assert.Equal("numeric", PinBox(cut, "r1").GetAttribute("inputmode"));
            Assert.Matches(@"expires in\s+(10:00|9:5\d)", cut.Find("[role=timer]").TextContent);
            Assert.Contains("Please provide the verification code sent to the user", cut.Markup);
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_OldestRequestFirst()
    {
        await PinRequiredAsync("r-old", "acc-1");
        await PinRequiredAsync("r-new", "acc-2");
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();

        cut.WaitForAssertion(() =>
        {
            var ids = cut.FindAll("[data-request-id]").Select(e => e.GetAttribute("data-request-id")).ToList();
            Assert.Equal(["r-old", "r-new"], ids);
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_MoreWaitingThanCardsShown_ShowsTheOldestAndCountsTheRest()
    {
        // Fifty cards with their countdowns are a heavy render: waited for without holding a pool thread, and longer.
        const int extra = 3;
        for (var i = 0; i < PinInboxPage.CardsShown + extra; i++) await PinRequiredAsync($"r-{i:000}", $"acc-{i}");
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();

        await cut.WaitForAssertionAsync(() =>
        {
            var ids = cut.FindAll("[data-request-id]").Select(e => e.GetAttribute("data-request-id")).ToList();
            Assert.Equal(Enumerable.Range(0, PinInboxPage.CardsShown).Select(i => $"r-{i:000}"), ids);
            Assert.Equal($"{PinInboxPage.CardsShown + extra} waiting", cut.Find("[data-testid='waiting-count']").TextContent.Trim());
            Assert.StartsWith($"{extra} more requests wait", cut.Find("[data-testid='more-pending']").TextContent.Trim());
        }, ManyCardsTimeout);

        // The oldest is answered: the next one moves up into the cards.
        await LoginSucceededAsync("r-000");
        await cut.WaitForAssertionAsync(() =>
        {
            var ids = cut.FindAll("[data-request-id]").Select(e => e.GetAttribute("data-request-id")).ToList();
            Assert.Equal(Enumerable.Range(1, PinInboxPage.CardsShown).Select(i => $"r-{i:000}"), ids);
            Assert.StartsWith($"{extra - 1} more requests wait", cut.Find("[data-testid='more-pending']").TextContent.Trim());
        }, ManyCardsTimeout);
    }

    [Theory]
    [InlineData("12ab56", "The PIN has digits only.")]
    [InlineData("123", "The PIN has 4 to 8 digits.")]
    [InlineData("123456789", "The PIN has 4 to 8 digits.")]
    [InlineData("   ", "Enter the PIN.")]
    public async Task PinInbox_InvalidPin_IsRefusedWithAMessageAndNotSent(string pin, string message)
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r1"), WaitTimeout);

        await TypeAndSubmitAsync(cut, "r1", pin);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-request-id='r1']").TextContent), WaitTimeout);
        Assert.Empty(WeLink.LoginCodes);
    }

    [Fact]
    public async Task PinInbox_PinWithSpaces_IsTrimmedSubmittedAndTheOutcomeShowsLive()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r1"), WaitTimeout);

        await TypeAndSubmitAsync(cut, "r1", " 123 456 ");

        cut.WaitForAssertion(() => Assert.Contains("Submitted — waiting for the outcome.", cut.Markup), WaitTimeout);
        var sent = Assert.Single(WeLink.LoginCodes);
        Assert.Equal("123456", sent.GetProperty("code").GetString());
        Assert.Equal("acc-1", sent.GetProperty("accountId").GetString());
        Assert.Equal("r1", sent.GetProperty("requestId").GetString());

        await LoginSucceededAsync("r1");

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Connected: the login went through.", cut.Find("[data-request-id='r1']").TextContent);
            Assert.Contains("alice", cut.Find("[aria-label='PIN request history']").TextContent);
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_LoginFailsAfterThePin_ShowsTheCode()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r1"), WaitTimeout);
        await TypeAndSubmitAsync(cut, "r1", "1234");
        cut.WaitForAssertion(() => Assert.Contains("Submitted — waiting for the outcome.", cut.Markup), WaitTimeout);

        await LoginFailedAsync("r1", "WRONG_PASSWORD");

        cut.WaitForAssertion(() => Assert.Contains("Login failed: WRONG_PASSWORD", cut.Find("[data-request-id='r1']").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_TwoRapidSubmits_SendOneLoginCode()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        WeLink.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r1"), WaitTimeout);
        await PinBox(cut, "r1").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "123456" });

        var form = cut.Find("[data-request-id='r1'] form");
        var first = form.SubmitAsync();
        var second = cut.Find("[data-request-id='r1'] form").SubmitAsync();

        cut.WaitForAssertion(() =>
        {
            Assert.True(cut.Find("[data-request-id='r1'] button[type=submit]").HasAttribute("disabled"));
            Assert.Contains("Submitting…", cut.Markup);
        }, WaitTimeout);
        WeLink.Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(WaitTimeout);

        cut.WaitForAssertion(() => Assert.Contains("Submitted — waiting for the outcome.", cut.Markup), WaitTimeout);
        Assert.Single(WeLink.LoginCodes);
        Assert.DoesNotContain("already submitted", cut.Markup);
    }

    [Fact]
    public async Task PinInbox_WeLinkFails_ShowsTheErrorAndRetryWorks()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        WeLink.Status = HttpStatusCode.BadGateway;
        WeLink.ResponseBody = """{"message":"upstream down"}""";
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r1"), WaitTimeout);

        await TypeAndSubmitAsync(cut, "r1", "4321");

        cut.WaitForAssertion(() => Assert.Contains("upstream down", cut.Find("[data-request-id='r1'] [role=alert]").TextContent), WaitTimeout);

        WeLink.Status = HttpStatusCode.OK;
        WeLink.ResponseBody = "{}";
        // Found and clicked in one dispatch: the failed submission's live change may re-render the card in between.
        await cut.InvokeAsync(() => cut.FindAll("[data-request-id='r1'] button").Single(b => b.TextContent.Trim() == "Retry").ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.Contains("Submitted — waiting for the outcome.", cut.Markup), WaitTimeout);
        Assert.Equal(2, WeLink.LoginCodes.Count);
        Assert.All(WeLink.LoginCodes, c => Assert.Equal("4321", c.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task PinInbox_RequestWithoutAccount_NeedsAPickedAccount()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"l0","result":{"first_name":"Bo","email":"bo@example.com","public_identifier":"bo"}}""", "LOGIN_SUCCESS", "acc-7");
        await PinRequiredAsync("r2", null);
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();
        cut.WaitForAssertion(() => PinBox(cut, "r2"), WaitTimeout);
        Assert.Contains("Unknown account", cut.Markup);

        await TypeAndSubmitAsync(cut, "r2", "1234");
        cut.WaitForAssertion(() => Assert.Contains("Pick the account this PIN is for.", cut.Markup), WaitTimeout);
        Assert.Empty(WeLink.LoginCodes);

        var select = cut.FindComponent<MudSelect<string>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("acc-7"));
        await cut.Find("[data-request-id='r2'] form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("Submitted — waiting for the outcome.", cut.Markup), WaitTimeout);
        Assert.Equal("acc-7", Assert.Single(WeLink.LoginCodes).GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task PinInbox_GatewayLoginWhoseAccountIsNotListedYet_SaysSoAndOffersNoPinBox()
    {
        await PinRequiredAsync("r3", null);
        // A gateway login_v2 whose e-mail We-Link's account list did not have: the e-mail stands in.
        var call = await WriteAsync<GatewayCallAdmission>(new BeginGatewayCall(
            new GatewayCallStart(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "api-key", "login_v2", null, "new.hire@example.com"),
            GatewayBudget.Actions, 100, enforce: false));
        await WriteAsync<int>(new CompleteGatewayCall(new GatewayCallOutcome(
            call.CallId, 200, "r3", 5, GatewayBudget.Actions, null, "login", Tracked: true), TimeSpan.FromMinutes(10)));
        SignIn("alice", Roles.Operator);
        var cut = RenderInbox();

        cut.WaitForAssertion(() =>
        {
            var notice = cut.Find("[data-request-id='r3'] [data-testid='pin-account-unknown']");
            Assert.Contains("new.hire@example.com", notice.TextContent);
            Assert.Contains("not known yet", notice.TextContent);
        }, WaitTimeout);
        Assert.Empty(cut.FindAll("#pin-r3"));
        Assert.Empty(cut.FindAll("[data-request-id='r3'] form"));
    }

    [Fact]
    public async Task PinInbox_Viewer_SeesNoPinBox()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("victor", Roles.Viewer);
        var cut = RenderInbox();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Read-only: only operators can submit PINs.", cut.Markup);
            Assert.Empty(cut.FindAll("#pin-r1"));
            Assert.Empty(cut.FindAll("button[type=submit]"));
        }, WaitTimeout);
    }
}
