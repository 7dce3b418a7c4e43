using Bunit;
using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Requests;

public class RequestsPageTests : DashboardComponentTest
{
    private static readonly TimeSpan Later = TimeSpan.FromMinutes(30);

    private IRenderedComponent<RequestsPage> RenderPage(string url = "/requests") => RenderPage<RequestsPage>(url);

    private Task RegisterAsync(string requestId, string account, string action = "connect", string caller = "ops", TimeSpan? overdueAfter = null) =>
        WriteAsync<RegistrationResult>(new RegisterRequest(new RequestRegistration(requestId, account, action), tracking: new RequestTracking(caller, overdueAfter ?? Later)));

    private Task ConnectionSentAsync(string requestId) =>
        IngestAsync($$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true}}""");

    private static string StateOf(IRenderedComponent<RequestsPage> cut, string requestId) =>
        cut.Find($"[data-testid=requests-table] tr[data-request='{requestId}']").GetAttribute("data-state")!;

    /// <summary>r-done settled by its webhook, r-wait waiting, r-late overdue.</summary>
    private async Task ThreeRequestsAsync()
    {
        await RegisterAsync("r-done", "acc-1");
        await RegisterAsync("r-wait", "acc-2", "message", caller: "crm");
        await RegisterAsync("r-late", "acc-1", overdueAfter: TimeSpan.Zero);
        await WriteAsync<int>(new AgeTrackedRequests(Later, TimeSpan.FromDays(1)));
        await ConnectionSentAsync("r-done");
    }

    [Fact]
    public async Task Render_TrackedRequests_ShowsEachStateAndHighlightsOverdue()
    {
        await ThreeRequestsAsync();

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("Done", StateOf(cut, "r-done")), WaitTimeout);
        Assert.Equal("Waiting", StateOf(cut, "r-wait"));
        Assert.Equal("Overdue", StateOf(cut, "r-late"));
        Assert.Contains("wl-attention", cut.Find("tr[data-request='r-late']").ClassName);
        Assert.DoesNotContain("wl-attention", cut.Find("tr[data-request='r-done']").ClassName ?? "");
        Assert.Contains("Overdue: 1", cut.Find("[data-testid=state-counts] [data-state=Overdue]").TextContent);
        // The settled request links its outcome event, and its action has outcome times.
        Assert.NotNull(cut.Find("tr[data-request='r-done'] a[href*='event=']"));
        Assert.NotNull(cut.Find("[data-testid=outcome-times] tr[data-action=connect] [data-testid=p95]"));
    }

    [Fact]
    public async Task FilterFromUrl_State_ShowsOnlyThatState()
    {
        await ThreeRequestsAsync();

        var overdue = RenderPage("/requests?state=Overdue");
        overdue.WaitForAssertion(() => Assert.Single(overdue.FindAll("[data-testid=requests-table] tbody tr")), WaitTimeout);
        Assert.Equal("Overdue", StateOf(overdue, "r-late"));
    }

    [Fact]
    public async Task FilterFromUrl_Caller_ShowsOnlyThatCallersRequests()
    {
        await ThreeRequestsAsync();

        var crm = RenderPage("/requests?caller=crm");
        crm.WaitForAssertion(() => Assert.Equal("Waiting", StateOf(crm, "r-wait")), WaitTimeout);
        Assert.Single(crm.FindAll("[data-testid=requests-table] tbody tr"));
    }

    [Fact]
    public void Render_NoRequests_ShowsEmptyState()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No tracked requests", cut.Find("[data-testid=no-requests]").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task LiveRequest_WaitingThenDone_UpdatesWithoutReload()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-requests]"), WaitTimeout);

        await RegisterAsync("r-live", "acc-3");
        cut.WaitForAssertion(() => Assert.Equal("Waiting", StateOf(cut, "r-live")), WaitTimeout);

        await ConnectionSentAsync("r-live");
        cut.WaitForAssertion(() => Assert.Equal("Done", StateOf(cut, "r-live")), WaitTimeout);
    }

    [Fact]
    public void Percentile_NearestRank_PicksTheValueAtOrAboveTheShare()
    {
        long[] sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        Assert.Equal((50L, 100L, 0L), (RequestQueries.Percentile(sorted, 0.5), RequestQueries.Percentile(sorted, 0.95), RequestQueries.Percentile([], 0.5)));
    }
}
