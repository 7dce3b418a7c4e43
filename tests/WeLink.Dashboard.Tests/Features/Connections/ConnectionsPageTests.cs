using Bunit;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Connections;

public class ConnectionsPageTests : DashboardComponentTest
{
    private IRenderedComponent<ConnectionsPage> RenderPage(string url = "/connections") => RenderPage<ConnectionsPage>(url);

    private Task SentAsync(string requestId, string account) =>
        IngestAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true,"profile_id":"p-{{{requestId}}}"}}""", "CONNECTION_SENT", account);

    private Task FailedAsync(string requestId, string code, string account) =>
        IngestAsync($$$"""{"status":"FAILED","request_id":"{{{requestId}}}","error":"{{{code}}}"}""", "CONNECTION_FAILED", account);

    private static string Cell(IRenderedComponent<ConnectionsPage> cut, string account, string testId) =>
        cut.Find($"[data-testid=accounts-table] tr[data-account='{account}'] [data-testid={testId}]").TextContent.Trim();

    [Fact]
    public async Task Render_ShowsTotalsAndPerAccountOutcomes()
    {
        await SentAsync("s1", "acc-1");
        await SentAsync("s2", "acc-1");
        await FailedAsync("f1", "PROFILE_NOT_FOUND", "acc-1");
        await FailedAsync("f2", "STATUS_429", "acc-2");

        var cut = RenderPage();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("[data-testid=total-sent]").TextContent.Trim());
            Assert.Equal("2", cut.Find("[data-testid=total-failed]").TextContent.Trim());
            Assert.Equal("50%", cut.Find("[data-testid=total-rate]").TextContent.Trim());
        }, WaitTimeout);
        Assert.Equal("2", Cell(cut, "acc-1", "sent"));
        Assert.Equal("1", Cell(cut, "acc-1", "failed"));
        Assert.Equal("67%", Cell(cut, "acc-1", "rate"));
        Assert.Equal("0%", Cell(cut, "acc-2", "rate"));
        var reason = cut.Find("[data-testid=accounts-table] tr[data-account='acc-1'] a[href*='errorCode=PROFILE_NOT_FOUND']");
        Assert.Contains("type=CONNECTION_FAILED", reason.GetAttribute("href"));
        Assert.Contains("account=acc-1", reason.GetAttribute("href"));
    }

    [Fact]
    public void Render_NoConnections_ShowsEmptyState()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No connection requests", cut.Find("[data-testid=no-connections]").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task AccountFromUrl_ShowsOnlyThatAccount()
    {
        await SentAsync("s1", "acc-1");
        await FailedAsync("f1", "STATUS_429", "acc-2");

        var cut = RenderPage("/connections?account=acc-2&range=24h");

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=total-failed]").TextContent.Trim()), WaitTimeout);
        Assert.Equal("0", cut.Find("[data-testid=total-sent]").TextContent.Trim());
        Assert.Single(cut.FindAll("[data-testid=accounts-table] tbody tr"));
    }

    [Fact]
    public async Task LiveConnection_UpdatesTotalsWithoutReload()
    {
        await SentAsync("s1", "acc-1");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=total-sent]").TextContent.Trim()), WaitTimeout);

        await SentAsync("s2", "acc-3");
        await FailedAsync("f1", "PROXY_ERROR", "acc-3");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("[data-testid=total-sent]").TextContent.Trim());
            Assert.Equal("1", cut.Find("[data-testid=total-failed]").TextContent.Trim());
            Assert.Equal("50%", Cell(cut, "acc-3", "rate"));
        }, WaitTimeout);
    }

    [Fact]
    public void ChoosingARange_NavigatesToTheRollingRange()
    {
        var cut = RenderPage("/connections?range=30d");

        cut.FindAll("button").First(b => b.TextContent.Contains("Last 24 h")).Click();

        Assert.EndsWith("/connections?range=24h", Navigation.Uri);
    }
}
