using Bunit;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Tests.Features.Pins;

/// <summary>An alert links to one PIN request: <c>/pins?request=id</c> lands on that card, pending or not.</summary>
public class PinInboxLinkTests : WeLinkApiComponentTest
{
    private IRenderedComponent<PinInboxPage> RenderLinked(string requestId) =>
        RenderPage<PinInboxPage>("/pins?request=" + Uri.EscapeDataString(requestId));

    private static IReadOnlyList<string?> CardIds(IRenderedComponent<PinInboxPage> cut) =>
        cut.FindAll("[data-request-id]").Select(e => e.GetAttribute("data-request-id")).ToList();

    [Fact]
    public async Task PinInbox_LinkToAPendingRequest_ItsCardComesFirstHighlightedWithItsPinBoxFocused()
    {
        await PinRequiredAsync("r-old", "acc-1");
        await PinRequiredAsync("r-new", "acc-2");
        SignIn("alice", Roles.Operator);

        var cut = RenderLinked("r-new");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["r-new", "r-old"], CardIds(cut));
            Assert.Equal("true", cut.Find("[data-request-id='r-new']").GetAttribute("data-linked"));
            Assert.Null(cut.Find("[data-request-id='r-old']").GetAttribute("data-linked"));
            Assert.Contains("wl-linked", cut.Find("[data-request-id='r-new']").ClassList);
        }, WaitTimeout);
        cut.WaitForAssertion(() =>
        {
            var focused = Context.JSInterop.Invocations.Where(i => i.Identifier == "welinkDashboard.focusElement").Select(i => i.Arguments[0]).ToList();
            Assert.Equal(["pin-request-r-new", "pin-r-new"], focused);
        }, WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid='linked-missing']"));
    }

    [Fact]
    public async Task PinInbox_LinkToASucceededRequest_ShowsItsOutcomeInsteadOfAnEmptyInbox()
    {
        await PinRequiredAsync("r1", "acc-1");
        await LoginSucceededAsync("r1");
        SignIn("alice", Roles.Operator);

        var cut = RenderLinked("r1");

        cut.WaitForAssertion(() =>
        {
            var card = cut.Find("[data-request-id='r1']");
            Assert.Equal("true", card.GetAttribute("data-linked"));
            Assert.Contains("Connected: the login went through.", card.TextContent);
            Assert.Empty(card.QuerySelectorAll("form"));
        }, WaitTimeout);
        Assert.DoesNotContain("No pending PIN requests", cut.Markup);
        cut.WaitForAssertion(() => Assert.Contains(Context.JSInterop.Invocations,
            i => i.Identifier == "welinkDashboard.focusElement" && Equals(i.Arguments[0], "pin-request-r1")), WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_LinkToAFailedRequest_ShowsTheFailureAndItsCode()
    {
        await PinRequiredAsync("r1", "acc-1");
        await LoginFailedAsync("r1", "WRONG_PASSWORD");
        SignIn("alice", Roles.Operator);

        var cut = RenderLinked("r1");

        cut.WaitForAssertion(() => Assert.Contains("Login failed: WRONG_PASSWORD", cut.Find("[data-request-id='r1'][data-linked='true']").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task PinInbox_LinkedRequestAnsweredWhileOpen_StaysOnTopWithItsOutcome()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);
        var cut = RenderLinked("r1");
        cut.WaitForAssertion(() => cut.Find("#pin-r1"), WaitTimeout);

        await LoginSucceededAsync("r1");

        cut.WaitForAssertion(() => Assert.Contains("Connected: the login went through.", cut.Find("[data-request-id='r1'][data-linked='true']").TextContent), WaitTimeout);
    }

    [Theory]
    [InlineData("no-such-request")]
    [InlineData("<script>alert(1)</script>")]
    public async Task PinInbox_LinkToAnUnknownRequest_SaysSoAndShowsThePendingOnes(string requestId)
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);

        var cut = RenderLinked(requestId);

        cut.WaitForAssertion(() =>
        {
            Assert.Contains(requestId, cut.Find("[data-testid='linked-missing']").TextContent);
            Assert.Equal(["r1"], CardIds(cut));
            Assert.Empty(cut.FindAll("[data-linked]"));
        }, WaitTimeout);
        Assert.Empty(cut.FindAll("script"));
    }

    [Fact]
    public async Task PinInbox_LinkWithAnOverlongId_IsNotLookedUpAndSaysSo()
    {
        await PinRequiredAsync("r1", "acc-1");
        SignIn("alice", Roles.Operator);

        var cut = RenderLinked(new string('x', PinInboxPage.MaxRequestIdLength + 1));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid='linked-missing']")), WaitTimeout);
        Assert.Equal(["r1"], CardIds(cut));
    }

    [Fact]
    public async Task PinInbox_LinkedFinishedCardDismissed_GoesBackToThePlainInbox()
    {
        await PinRequiredAsync("r1", "acc-1");
        await LoginSucceededAsync("r1");
        SignIn("alice", Roles.Operator);
        var cut = RenderLinked("r1");
        cut.WaitForAssertion(() => cut.Find("[data-request-id='r1'][data-linked='true']"), WaitTimeout);

        await cut.Find("[data-request-id='r1'] button[aria-label^='Dismiss']").ClickAsync(new());

        cut.WaitForAssertion(() =>
        {
            Assert.EndsWith("/pins", Navigation.Uri, StringComparison.Ordinal);
            Assert.Empty(CardIds(cut));
            Assert.Contains("No pending PIN requests", cut.Markup);
        }, WaitTimeout);
    }
}
