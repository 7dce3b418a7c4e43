using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Live;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Pins;

public class PinAlertsTests : DashboardComponentTest
{
    [Fact]
    public async Task PinAlerts_ConnectionGoesDownWithACallInFlight_TheCallEndsAtOnce()
    {
        // The browser never answers: the call stays in flight, as with a closed tab whose circuit lives on.
        Context.JSInterop.SetupVoid("welinkDashboard.setPendingPins", _ => true);
        var connection = Context.Services.GetRequiredService<CircuitConnection>();
        var handler = new CircuitConnectionHandler(connection);
        RenderPage<PinAlerts>();
        await WaitUntilAsync(() => Context.JSInterop.Invocations.Any(i => i.Identifier == "welinkDashboard.setPendingPins"));
        var call = Context.JSInterop.Invocations.First(i => i.Identifier == "welinkDashboard.setPendingPins");
        Assert.False(call.CancellationToken?.IsCancellationRequested);

        await handler.OnConnectionDownAsync(null!, CancellationToken.None);

        // Cancelled with the connection, instead of waiting a minute for the interop timeout.
        Assert.True(call.CancellationToken?.IsCancellationRequested);
        await handler.OnConnectionUpAsync(null!, CancellationToken.None);
        Assert.False(connection.WhileUp.IsCancellationRequested);
    }

    private int SetPendingCalls(int count) =>
        Context.JSInterop.Invocations.Count(i => i.Identifier == "welinkDashboard.setPendingPins" && i.Arguments.Count == 1 && Equals(i.Arguments[0], count));

    [Fact]
    public async Task PinAlerts_NewPinRequest_SnackbarTitleCountAndBadge()
    {
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.Equal(1, SetPendingCalls(0)), WaitTimeout);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-<b>1</b>");

        var snackbars = Context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() =>
        {
            Assert.True(SetPendingCalls(1) >= 1);
            Assert.Single(snackbars.ShownSnackbars);
            Assert.NotNull(cut.Find("[aria-label='1 PIN waiting: open the PIN inbox']"));
        }, WaitTimeout);
        Assert.DoesNotContain(Context.JSInterop.Invocations, i => i.Identifier == "welinkDashboard.playPinSound");

        // The message renders the account id as text, never as markup.
        var provider = Context.Render<MudSnackbarProvider>();
        provider.WaitForAssertion(() =>
        {
            Assert.Contains("PIN required for acc-<b>1</b>", provider.Find(".mud-snackbar").TextContent);
            Assert.Empty(provider.FindAll(".mud-snackbar b"));
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinAlerts_TabHidden_TitleCountStillFollows()
    {
        Context.JSInterop.Setup<bool>("welinkDashboard.watchVisibility", _ => true).SetResult(false);
        Context.Render<PageVisibility>();
        Assert.False(Context.Services.GetRequiredService<CircuitConnection>().IsVisible);
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.Equal(1, SetPendingCalls(0)), WaitTimeout);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");

        // The count in the tab's title is for an operator looking at another tab: it does not wait to be shown.
        cut.WaitForAssertion(() => Assert.True(SetPendingCalls(1) >= 1), WaitTimeout);
    }

    [Fact]
    public async Task PinAlerts_SoundOn_PlaysOnNewRequest()
    {
        var cut = RenderPage<PinAlerts>();
        await cut.Find("button[aria-label='PIN alert sound']").ClickAsync(new());
        Assert.True(Context.Services.GetRequiredService<UiPreferences>().PinSound);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("button[aria-label='PIN alert sound']").GetAttribute("aria-pressed")), WaitTimeout);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");

        cut.WaitForAssertion(() => Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "welinkDashboard.playPinSound"), WaitTimeout);
    }

    [Fact]
    public async Task PinAlerts_Redelivery_DoesNotAlertAgain()
    {
        const string body = """{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""";
        // The feed tells its subscribers after the write returns: wait until it has told of r1, so the
        // page rendered next starts after that request and must not announce it.
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Context.Services.GetRequiredService<LiveFeed>().Subscribe(change =>
               {
                   if (change.Event?.RequestId == "r1") told.TrySetResult();
               }))
        {
            await IngestAsync(body, accountHint: "acc-1");
            await told.Task.WaitAsync(WaitTimeout);
        }
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.True(SetPendingCalls(1) >= 1), WaitTimeout);

        await IngestAsync(body, accountHint: "acc-1");
        await IngestAsync("""{"status":"SUCCESS","request_id":"x","result":{"connected":true}}""", "CONNECTION_SENT", "acc-1");
        // The feed is ordered: once this one has alerted, the two before it were seen and did not.
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");

        var snackbars = Context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() =>
        {
            Assert.True(SetPendingCalls(2) >= 1);
            Assert.Single(snackbars.ShownSnackbars);
        }, WaitTimeout);
    }

    [Fact]
    public async Task PinNavLink_BesideThePinAlertsAsInTheLayout_ShowsTheWaitingCountLive()
    {
        RenderPage<PinAlerts>();
        var cut = Context.Render<PinNavLink>();
        cut.WaitForAssertion(() => Assert.Equal("PIN inbox", cut.Find("a[href='/pins']").TextContent.Trim()), WaitTimeout);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");

        cut.WaitForAssertion(() => Assert.Matches(@"^PIN inbox\s*2$", cut.Find("a[href='/pins']").TextContent.Trim()), WaitTimeout);
        Assert.Equal(2, Context.Services.GetRequiredService<PendingPinCount>().Waiting);
    }

    [Fact]
    public async Task PinNavLink_ReadsTheCountOnce_ThenFollowsTheCountThePinAlertsRead()
    {
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        var cut = RenderPage<PinNavLink>();
        cut.WaitForAssertion(() => Assert.Matches(@"^PIN inbox\s*1$", cut.Find("a[href='/pins']").TextContent.Trim()), WaitTimeout);

        // A PIN change on its own no longer makes the badge query: the PIN alerts' reload does, and sets the count.
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");
        var count = Context.Services.GetRequiredService<PendingPinCount>();
        await cut.InvokeAsync(() => count.Set(5));

        cut.WaitForAssertion(() => Assert.Matches(@"^PIN inbox\s*5$", cut.Find("a[href='/pins']").TextContent.Trim()), WaitTimeout);
    }

    [Fact]
    public async Task PinAlerts_RequestAnswered_SnackbarCloses()
    {
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.Equal(1, SetPendingCalls(0)), WaitTimeout);
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        var snackbars = Context.Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Single(snackbars.ShownSnackbars), WaitTimeout);

        // The PIN went in and the login succeeded: "PIN required for …" is no longer true.
        await IngestAsync("""{"status":"SUCCESS","request_id":"r1","result":{"first_name":"Ada","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS", "acc-1");

        cut.WaitForAssertion(() => Assert.Empty(snackbars.ShownSnackbars), WaitTimeout);
    }

    [Fact]
    public async Task PinAlerts_SecondRequestWhileShown_JoinsTheSnackbar_ThenOneOfTwoAnswered_ItNamesOnlyTheOneStillWaiting()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"l1","result":{"first_name":"Priya","last_name":"Kowalski","email":"priya@example.com","public_identifier":"p"}}""", "LOGIN_SUCCESS", "acc-1");
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.Equal(1, SetPendingCalls(0)), WaitTimeout);
        var snackbars = Context.Services.GetRequiredService<ISnackbar>();
        var provider = Context.Render<MudSnackbarProvider>();

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        provider.WaitForAssertion(() => Assert.Contains("PIN required for Priya Kowalski", provider.Find(".mud-snackbar").TextContent), WaitTimeout);
        var first = Assert.Single(snackbars.ShownSnackbars);
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");

        // One snackbar, its text changed in place: not a second one, not the first closed and added again.
        provider.WaitForAssertion(() => Assert.Contains("PIN required for Priya Kowalski, acc-2", Assert.Single(provider.FindAll(".mud-snackbar")).TextContent), WaitTimeout);
        Assert.Same(first, Assert.Single(snackbars.ShownSnackbars));

        await IngestAsync("""{"status":"FAILED","request_id":"r1","error":"WRONG_PIN"}""", "LOGIN_FAILED", "acc-1");

        provider.WaitForAssertion(() =>
        {
            var shown = Assert.Single(provider.FindAll(".mud-snackbar"));
            Assert.Contains("PIN required for acc-2", shown.TextContent);
            Assert.DoesNotContain("Priya", shown.TextContent);
        }, WaitTimeout);
        Assert.Same(first, Assert.Single(snackbars.ShownSnackbars));
    }
}

/// <summary>The PIN snackbar under a clock the test moves on.</summary>
public class PinAlertsClockTests : DashboardComponentTest
{
    private sealed class MovableClock : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    private readonly MovableClock _clock = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Fact]
    public async Task PinAlerts_RequestArrivesAfterTheSnackbarWasShownForJoinWithin_AFreshSnackbarNamesBoth()
    {
        var cut = RenderPage<PinAlerts>();
        cut.WaitForAssertion(() => Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "welinkDashboard.setPendingPins"), WaitTimeout);
        var snackbars = Context.Services.GetRequiredService<ISnackbar>();
        var provider = Context.Render<MudSnackbarProvider>();
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        cut.WaitForAssertion(() => Assert.Single(snackbars.ShownSnackbars), WaitTimeout);
        var first = snackbars.ShownSnackbars.Single();

        // Past half its time on screen: a request joining it now would be shown only briefly.
        _clock.Advance(PinAlerts.JoinWithin + TimeSpan.FromSeconds(1));
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r2","message":"code"}""", accountHint: "acc-2");

        provider.WaitForAssertion(() =>
        {
            var shown = Assert.Single(snackbars.ShownSnackbars);
            Assert.NotSame(first, shown);
            Assert.Contains("PIN required for acc-1, acc-2", Assert.Single(provider.FindAll(".mud-snackbar")).TextContent);
        }, WaitTimeout);
    }
}

public class PinAlertsSignedOutTests : WeLinkApiComponentTest
{
    [Fact]
    public async Task PinAlerts_SignedOut_ShowNothingAboutTheFleet()
    {
        await PinRequiredAsync("r1", "acc-1");

        var alerts = RenderPage<PinAlerts>();
        var nav = Context.Render<PinNavLink>();
        await PinRequiredAsync("r2", "acc-2");

        nav.WaitForAssertion(() => Assert.Equal("PIN inbox", nav.Find("a[href='/pins']").TextContent.Trim()), WaitTimeout);
        Assert.Empty(alerts.FindAll("button"));
        Assert.Empty(alerts.FindAll("a"));
        Assert.Empty(Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }
}
