using Bunit;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Errors;

public class ErrorsPageTests : DashboardComponentTest
{
    private IRenderedComponent<ErrorsPage> RenderPage(string url = "/errors") => RenderPage<ErrorsPage>(url);

    private Task FailAsync(string requestId, string code, string account) =>
        IngestAsync($$$"""{"status":"FAILED","request_id":"{{{requestId}}}","error":"{{{code}}}"}""", "CONNECTION_FAILED", account);

    private static Dictionary<string, string> Counts(IRenderedComponent<ErrorsPage> cut) =>
        cut.FindAll("[data-testid=codes-table] tbody tr").ToDictionary(
            tr => tr.GetAttribute("data-code")!,
            tr => tr.QuerySelector("[data-testid=code-count]")!.TextContent.Trim());

    [Fact]
    public async Task Render_CountsEqualTheIngestedEvents()
    {
        for (var i = 0; i < 3; i++) await FailAsync($"a{i}", "PROFILE_NOT_FOUND", "acc-1");
        await FailAsync("b1", "STATUS_429", "acc-2");
        await FailAsync("b2", "STATUS_429", "acc-2");
        await FailAsync("c1", "SOMETHING_NEW", "acc-2");
        await IngestAsync("""{"status":"SUCCESS","request_id":"ok","result":{"connected":true,"profile_id":"x"}}""", "CONNECTION_SENT", "acc-1");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(
            new Dictionary<string, string> { ["PROFILE_NOT_FOUND"] = "3", ["STATUS_429"] = "2", ["SOMETHING_NEW"] = "1" }, Counts(cut)), WaitTimeout);
        Assert.StartsWith("6 errors", cut.Find("[data-testid=errors-total]").TextContent.Trim());
        var undocumented = cut.Find("tr[data-code=SOMETHING_NEW]").TextContent;
        Assert.Contains("undocumented", undocumented);
        Assert.Contains("Not documented by We-Link", undocumented);
        Assert.Contains("fix the lead data", cut.Find("tr[data-code=PROFILE_NOT_FOUND]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=accounts-table] tr[data-account=acc-2] td:nth-child(2)").TextContent.Trim());
    }

    [Fact]
    public void Render_NoErrors_ShowsEmptyState()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No errors", cut.Find("[data-testid=no-errors]").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task AccountFromUrl_CountsOnlyThatAccount()
    {
        await FailAsync("a1", "PROFILE_NOT_FOUND", "acc-1");
        await FailAsync("b1", "STATUS_429", "acc-2");

        var cut = RenderPage("/errors?account=acc-2&range=7d");

        cut.WaitForAssertion(() => Assert.Equal(new Dictionary<string, string> { ["STATUS_429"] = "1" }, Counts(cut)), WaitTimeout);
        Assert.Equal("true", cut.FindAll("button").First(b => b.TextContent.Contains("Last 7 days")).GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task LiveError_UpdatesTheCountWithoutReload()
    {
        await FailAsync("a1", "PROFILE_NOT_FOUND", "acc-1");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal("1", Counts(cut)["PROFILE_NOT_FOUND"]), WaitTimeout);

        await FailAsync("a2", "PROFILE_NOT_FOUND", "acc-1");
        await FailAsync("a3", "PROXY_ERROR", "acc-1");

        cut.WaitForAssertion(() =>
        {
            var counts = Counts(cut);
            Assert.Equal("2", counts["PROFILE_NOT_FOUND"]);
            Assert.Equal("1", counts["PROXY_ERROR"]);
        }, WaitTimeout);
    }

    [Fact]
    public async Task ClickingACode_OpensTheEventLogFilteredToIt()
    {
        await FailAsync("a1", "PROFILE_NOT_FOUND", "acc-1");
        var cut = RenderPage("/errors?account=acc-1");
        cut.WaitForAssertion(() => cut.Find("[data-testid=code-link]"), WaitTimeout);

        // A plain link: the browser's own navigation (intercepted by Blazor's router) follows it, so a
        // click can never be lost to a re-render of the row, as a per-render click handler could be.
        var link = cut.Find("[data-testid=code-link]");
        Assert.False(link.HasAttribute("blazor:onclick"));
        var uri = new Uri(new Uri(Navigation.BaseUri), link.GetAttribute("href"));
        Assert.Equal("/events", uri.AbsolutePath);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        Assert.Equal("PROFILE_NOT_FOUND", query["errorCode"]);
        Assert.Equal("acc-1", query["account"]);
        var since = DashboardUrls.ParseStamp(query["since"])!.Value;
        Assert.InRange(DateTimeOffset.UtcNow - since, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
    }

    [Fact]
    public void ChoosingARange_NavigatesWithTheAccountKept()
    {
        var cut = RenderPage("/errors?account=acc-1");

        cut.FindAll("button").First(b => b.TextContent.Contains("Last hour")).Click();

        Assert.EndsWith("/errors?account=acc-1&range=1h", Navigation.Uri);
    }
}
