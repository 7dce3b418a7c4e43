using Bunit;
using MudBlazor;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Events;

public class EventLogPageTests : DashboardComponentTest
{
    private IRenderedComponent<EventLogPage> RenderPage(string url = "/events") => RenderPage<EventLogPage>(url);

    private static string[] RowTypes(IRenderedComponent<EventLogPage> cut) =>
        cut.FindAll("[data-testid=row-type]").Select(e => e.TextContent.Trim()).ToArray();

    private static string Sent(string requestId) => $$$"""{"status":"SUCCESS","request_id":"{{{requestId}}}","result":{"connected":true,"profile_id":"p-{{{requestId}}}"}}""";

    private static string Failed(string requestId, string code) => $$"""{"status":"FAILED","request_id":"{{requestId}}","error":"{{code}}"}""";

    [Fact]
    public async Task Render_WithEvents_ShowsEveryRowNewestFirst()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        await IngestAsync(Failed("r2", "PROFILE_NOT_FOUND"), "CONNECTION_FAILED", "acc-2");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_FAILED", "CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);
        Assert.Contains("acc-2", cut.Find("[data-testid=row-account]").TextContent);
    }

    [Fact]
    public void Render_NoEvents_ShowsEmptyState()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No events yet", cut.Find("[data-testid=no-events]").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task FiltersFromUrl_ShowOnlyMatchingRows()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        await IngestAsync(Sent("r2"), "CONNECTION_SENT", "acc-2");
        await IngestAsync(Failed("r3", "PROFILE_NOT_FOUND"), "CONNECTION_FAILED", "acc-1");

        var cut = RenderPage("/events?type=CONNECTION_SENT&account=acc-1");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["CONNECTION_SENT"], RowTypes(cut));
            Assert.Equal("acc-1", cut.Find("[data-testid=row-account]").TextContent.Trim());
        }, WaitTimeout);
    }

    [Fact]
    public async Task FreeTextFromUrl_MatchesPayloadText()
    {
        await IngestAsync(Sent("needle-42"), "CONNECTION_SENT", "acc-1");
        await IngestAsync(Sent("hay-1"), "CONNECTION_SENT", "acc-1");

        var cut = RenderPage("/events?q=needle");

        cut.WaitForAssertion(() => Assert.Single(RowTypes(cut)), WaitTimeout);
        Assert.Contains("needle-42", cut.Markup);
    }

    [Fact]
    public async Task UrlChange_LikeTheBackButton_ReloadsTheGrid()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        await IngestAsync(Failed("r2", "PROFILE_NOT_FOUND"), "CONNECTION_FAILED", "acc-1");
        var cut = RenderPage("/events?type=CONNECTION_SENT");
        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);

        Navigation.NavigateTo("/events?errorCode=PROFILE_NOT_FOUND");

        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_FAILED"], RowTypes(cut)), WaitTimeout);
    }

    [Fact]
    public async Task ClearFilters_NavigatesToTheUnfilteredLog()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage("/events?type=LOGIN_FAILED");
        cut.WaitForAssertion(() => Assert.Contains("No events match", cut.Find("[data-testid=no-events]").TextContent), WaitTimeout);

        cut.FindAll("button").First(b => b.TextContent.Contains("Clear filters")).Click();

        Assert.EndsWith("/events", Navigation.Uri);
        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);
    }

    [Fact]
    public async Task LiveEvent_AppearsAtTheTopWithoutReload()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(RowTypes(cut)), WaitTimeout);

        await IngestAsync(Failed("r2", "STATUS_429"), "CONNECTION_FAILED", "acc-1");

        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_FAILED", "CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);
    }

    [Fact]
    public async Task LiveEvent_NotMatchingTheFilter_IsNotShown()
    {
        var cut = RenderPage("/events?account=acc-1");
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-events]"), WaitTimeout);

        await IngestAsync(Sent("other"), "CONNECTION_SENT", "acc-2");
        await IngestAsync(Sent("mine"), "CONNECTION_SENT", "acc-1");

        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);
        Assert.Equal("acc-1", cut.Find("[data-testid=row-account]").TextContent.Trim());
    }

    [Fact]
    public async Task PausedTail_CountsNewEventsInsteadOfShowingThem_ResumeShowsThem()
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(RowTypes(cut)), WaitTimeout);

        cut.FindAll("button").First(b => b.TextContent.Contains("Pause")).Click();
        await IngestAsync(Sent("r2"), "CONNECTION_SENT", "acc-1");
        await IngestAsync(Sent("r3"), "CONNECTION_SENT", "acc-1");

        cut.WaitForAssertion(() => Assert.Equal("2 new", cut.Find("[data-testid=new-count]").TextContent.Trim()), WaitTimeout);
        Assert.Single(RowTypes(cut));

        cut.FindAll("button").First(b => b.TextContent.Contains("Resume live tail")).Click();

        cut.WaitForAssertion(() => Assert.Equal(3, RowTypes(cut).Length), WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid=new-count]"));
    }

    [Fact]
    public async Task RowClick_PutsTheEventInTheUrl_AndOpensItsDetails()
    {
        var stored = await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(RowTypes(cut)), WaitTimeout);

        cut.Find("[data-testid=row-type]").Closest("tr")!.Click();

        // The grid raises RowClick from its own asynchronous handler: on a busy machine the click returns first.
        cut.WaitForAssertion(() => Assert.Contains($"event={stored.EventId}", Navigation.Uri), WaitTimeout);
        cut.WaitForAssertion(() => Assert.Contains("\"request_id\":\"r1\"", cut.Find("[data-testid=raw-body]").TextContent), WaitTimeout);
    }

    [Fact]
    public async Task DetailPanel_ShowsRawBodyAsText_AndHowTypeAndAccountWereDerived()
    {
        const string body = """{"status":"PIN_REQUIRED","request_id":"pin-1","message":"<b>enter</b> the code <script>alert(1)</script>"}""";
        var stored = await IngestAsync(body, accountHint: "acc-7");

        var cut = RenderPage($"/events?event={stored.EventId}");

        cut.WaitForAssertion(() => Assert.Equal(body, cut.Find("[data-testid=raw-body]").TextContent), WaitTimeout);
        var panel = cut.Find("[data-testid=event-detail]");
        Assert.Empty(panel.QuerySelectorAll("pre b"));
        Assert.Empty(panel.QuerySelectorAll("script"));
        Assert.Contains("\"status\": \"PIN_REQUIRED\"", cut.Find("[data-testid=pretty-body]").TextContent);
        var typeSource = cut.Find("[data-testid=type-source]");
        Assert.Equal("Inferred", typeSource.GetAttribute("data-source"));
        Assert.Equal("guess", typeSource.TextContent.Trim());
        var accountSource = cut.Find("[data-testid=account-source]");
        Assert.Equal("Hinted", accountSource.GetAttribute("data-source"));
        Assert.Equal("hinted", accountSource.TextContent.Trim());
        Assert.Contains("verified", cut.Find("[data-testid=signature]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=delivery-count]").TextContent.Trim());
        Assert.NotNull(panel.QuerySelector("a[href='/accounts/acc-7']"));
    }

    [Fact]
    public async Task DetailPanel_Redelivery_ShowsTheNewDeliveryCountLive()
    {
        var stored = await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage($"/events?event={stored.EventId}");
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=delivery-count]").TextContent.Trim()), WaitTimeout);

        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");

        cut.WaitForAssertion(() => Assert.StartsWith("2", cut.Find("[data-testid=delivery-count]").TextContent.Trim()), WaitTimeout);
    }

    [Fact]
    public async Task EscapeShortcut_ClosesThePanel_KeepingTheFilter()
    {
        var stored = await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");
        var cut = RenderPage($"/events?account=acc-1&event={stored.EventId}");
        cut.WaitForAssertion(() => cut.Find("[data-testid=raw-body]"), WaitTimeout);

        await cut.InvokeAsync(() => cut.Instance.HandleShortcutAsync("Escape"));

        Assert.EndsWith("/events?account=acc-1", Navigation.Uri);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=event-detail]")), WaitTimeout);
    }

    [Fact]
    public async Task QuestionMarkShortcut_ListsTheShortcuts()
    {
        Context.Render<MudPopoverProvider>();
        var dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<EventLogPage>();

        await cut.InvokeAsync(() => cut.Instance.HandleShortcutAsync("?"));

        dialogs.WaitForAssertion(() => Assert.Contains("Focus the payload search", dialogs.Find("[data-testid=shortcuts]").TextContent), WaitTimeout);
    }

    [Fact]
    public void ShortcutsAreRegisteredWithTheBrowser()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "welinkDashboard.registerShortcuts"), WaitTimeout);
    }

    [Fact]
    public void ExportLinks_CarryTheCurrentFilter()
    {
        var cut = RenderPage("/events?type=CONNECTION_FAILED&errorCode=STATUS_429");

        var csv = cut.Find("[data-testid=export-csv]");
        Assert.Equal("/api/events/export?format=csv&type=CONNECTION_FAILED&errorCode=STATUS_429", csv.GetAttribute("href"));
        Assert.True(csv.HasAttribute("download"));
        Assert.Equal("/api/events/export?format=ndjson&type=CONNECTION_FAILED&errorCode=STATUS_429", cut.Find("[data-testid=export-ndjson]").GetAttribute("href"));
    }

    [Fact]
    public void SearchBox_IsLabelled()
    {
        var cut = RenderPage();

        var input = cut.Find($"#{EventFilterBar.SearchInputId}");
        var label = cut.Find($"label[for={EventFilterBar.SearchInputId}]");
        Assert.Equal("Search payload", label.TextContent.Trim());
        Assert.NotNull(input);
    }

    [Theory]
    [InlineData("/events?q=ab%00cd")]
    [InlineData("/events?q=%00%00%00")]
    public async Task SearchWithNul_ShowsAnInlineError_AndThePageLives(string url)
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");

        var cut = RenderPage(url);

        cut.WaitForAssertion(() => Assert.Contains("must not contain a NUL character", cut.Find("[data-testid=search-error]").TextContent), WaitTimeout);
        Assert.Empty(RowTypes(cut));
        Assert.False(Context.Renderer.UnhandledException.IsCompleted);
        // The page goes on: a usable search afterwards shows rows again.
        Navigation.NavigateTo("/events?q=r1");
        cut.WaitForAssertion(() => Assert.Equal(["CONNECTION_SENT"], RowTypes(cut)), WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid=search-error]"));
    }

    [Theory]
    [InlineData("/events?event=abc")]
    [InlineData("/events?event=-1")]
    [InlineData("/events?event=99999999999999999999")]
    public async Task NonNumericEventParameter_SelectsNothing(string url)
    {
        await IngestAsync(Sent("r1"), "CONNECTION_SENT", "acc-1");

        var cut = RenderPage(url);

        cut.WaitForAssertion(() => Assert.Single(RowTypes(cut)), WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid=event-detail]"));
        Assert.False(Context.Renderer.UnhandledException.IsCompleted);
    }
}
