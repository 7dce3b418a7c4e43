using Bunit;
using WeLink.Dashboard.Features.Overview;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Overview;

public class OverviewPageTests : DashboardComponentTest
{
    [Fact]
    public void OverviewPage_EmptyFleet_ShowsEmptyStates()
    {
        var cut = RenderPage<OverviewPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("No pending PIN requests", cut.Markup);
            Assert.Contains("No accounts yet", cut.Markup);
            Assert.Contains("No errors in the last 24 hours", cut.Markup);
        }, WaitTimeout);
    }

    [Fact]
    public async Task OverviewPage_ConnectedAccountRateLimited_CountedAsConnectedAndUnderItsFlag()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"l1","result":{"first_name":"Ada","premium":false}}""", "LOGIN_SUCCESS", "acc-1");
        await IngestAsync("""{"status":"FAILED","request_id":"m1","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-1");
        var cut = RenderPage<OverviewPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("1", cut.Find("a[href='/accounts?loginState=Connected']").TextContent);
            Assert.Contains("Rate limited", cut.Find("a[href='/accounts?health=RateLimited']").TextContent);
        }, WaitTimeout);
    }

    [Fact]
    public async Task OverviewPage_PinRequestArrives_ShowsItLiveWithStateLink()
    {
        var cut = RenderPage<OverviewPage>();
        cut.WaitForAssertion(() => Assert.Contains("No pending PIN requests", cut.Markup), WaitTimeout);

        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("[aria-label='1 pending PIN requests']"));
            Assert.NotNull(cut.Find("a[href='/pins']"));
            Assert.NotNull(cut.Find("a[href='/accounts?loginState=PinRequired']"));
        }, WaitTimeout);
    }

    [Fact]
    public async Task OverviewPage_ErrorsAndConnections_AreCountedWithEventLogLinks()
    {
        await IngestAsync("""{"status":"FAILED","request_id":"c1","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", "acc-2");
        await IngestAsync("""{"status":"SUCCESS","request_id":"c2","result":{"connected":true,"profile_id":"p1"}}""", "CONNECTION_SENT", "acc-2");

        var cut = RenderPage<OverviewPage>();

        cut.WaitForAssertion(() =>
        {
            var link = cut.Find("a[href='/events?errorCode=PROXY_ERROR']");
            Assert.Equal("PROXY_ERROR", link.TextContent.Trim());
            Assert.Contains("The proxy connection failed.", cut.Markup);
            Assert.NotNull(cut.Find("[aria-label='Connections since 00:00: 1']"));
            Assert.Contains("1 failed", cut.Markup);
        }, WaitTimeout);
    }
}
