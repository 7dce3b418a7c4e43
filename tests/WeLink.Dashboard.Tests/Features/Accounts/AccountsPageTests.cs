using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Accounts;

public class AccountsPageTests : DashboardComponentTest
{
    private Task GatewayCallsAsync(string accountId, GatewayBudget budget, int count) => BudgetSeed.AddAsync(Context.Services, accountId, budget, count);

    private async Task SeedAsync()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"l1","result":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS", "acc-1");
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"l2","message":"code"}""", accountHint: "acc-2");
    }

    [Fact]
    public async Task AccountsPage_Renders_EveryAccountWithStateAndPendingPin()
    {
        await SeedAsync();
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Ada Lovelace", cut.Find("a[href='/accounts/acc-1']").TextContent);
            Assert.Contains("Connected", cut.Markup);
            Assert.Equal("PIN pending", cut.Find("td[data-label='PIN'] a[href='/pins']").TextContent.Trim());
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_StateFromUrl_FiltersRows()
    {
        await SeedAsync();
        Navigation.NavigateTo("/accounts?state=PinRequired");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-2']"));
            Assert.Empty(cut.FindAll("a[href='/accounts/acc-1']"));
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_SearchFromUrl_FiltersRowsAndOffersToClear()
    {
        await SeedAsync();
        Navigation.NavigateTo("/accounts?search=ada");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-1']"));
            Assert.Empty(cut.FindAll("a[href='/accounts/acc-2']"));
            Assert.Contains("Clear filters", cut.Markup);
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_RateLimitedAfterLoginFailure_ShowsLoginFailedWithCodeAndTheFlagBeside()
    {
        await IngestAsync("""{"status":"WRONG_PASSWORD","request_id":"l3","message":"Invalid LinkedIn credentials"}""", accountHint: "acc-3");
        await IngestAsync("""{"status":"FAILED","request_id":"m1","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-3");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("a[href='/accounts/acc-3']").Closest("tr")!;
            Assert.Contains("Login failed", row.QuerySelector("td[data-label='Login state']")!.TextContent);
            Assert.Contains("WRONG_PASSWORD", row.QuerySelector("td[data-label='Login state']")!.TextContent);
            Assert.DoesNotContain("Rate limited", row.QuerySelector("td[data-label='Login state']")!.TextContent);
            Assert.Contains("Rate limited", row.QuerySelector("td[data-label='Health']")!.TextContent);
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_RateLimitedAccounts_PinWaitingFirst()
    {
        await SeedAsync();
        await IngestAsync("""{"status":"FAILED","request_id":"m1","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-1");
        await IngestAsync("""{"status":"FAILED","request_id":"m2","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-2");
        var all = RenderPage<AccountsPage>();

        all.WaitForAssertion(() =>
        {
            var ids = all.FindAll("td[data-label='Account'] [data-account-id]").Select(a => a.GetAttribute("data-account-id")).ToList();
            Assert.Equal(["acc-2", "acc-1"], ids);
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_HealthFromUrl_FiltersRows()
    {
        await SeedAsync();
        await IngestAsync("""{"status":"FAILED","request_id":"m1","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-1");
        Navigation.NavigateTo("/accounts?health=Healthy");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-2']"));
            Assert.Empty(cut.FindAll("a[href='/accounts/acc-1']"));
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_FilterWithNoMatch_SaysSo()
    {
        await SeedAsync();
        Navigation.NavigateTo("/accounts?loginState=SessionExpired");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No accounts match these filters", cut.Markup), WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_TypingASearch_NavigatesToTheFilteredUrl()
    {
        await SeedAsync();
        var cut = RenderPage<AccountsPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-1']")), WaitTimeout);

        await cut.Find("[role=search] input").InputAsync(new ChangeEventArgs { Value = "acc-2" });

        cut.WaitForAssertion(() => Assert.EndsWith("/accounts?search=acc-2", Navigation.Uri), WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_NewAccountArrives_AppearsLive()
    {
        var cut = RenderPage<AccountsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No accounts yet", cut.Markup), WaitTimeout);

        await IngestAsync("""{"status":"FAILED","request_id":"l9","error":"WRONG_PASSWORD"}""", "LOGIN_FAILED", "acc-9");

        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-9']"));
            Assert.Contains("Login failed", cut.Markup);
            Assert.Equal("WRONG_PASSWORD", cut.Find("td[data-label='Latest error'] a").TextContent);
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_LiveEventForAnAccount_ItsRowIsUpdatedInPlaceNotRebuilt()
    {
        await SeedAsync();
        var cut = RenderPage<AccountsPage>();
        MudTr? before = null;
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", EventsCell(cut, "acc-1"));
            before = RowOf(cut, "acc-1");
        }, WaitTimeout);
        var otherBefore = RowOf(cut, "acc-2");

        await IngestAsync("""{"status":"FAILED","request_id":"m1","error":"STATUS_429"}""", "MESSAGE_FAILED", "acc-1");

        // The row shows the new count and flag, in the same row component; the other row's component stays too.
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", EventsCell(cut, "acc-1"));
            Assert.Contains("Rate limited", cut.Find("a[href='/accounts/acc-1']").Closest("tr")!.QuerySelector("td[data-label='Health']")!.TextContent);
        }, WaitTimeout);
        Assert.Same(before, RowOf(cut, "acc-1"));
        Assert.Same(otherBefore, RowOf(cut, "acc-2"));
    }

    private static MudTr RowOf(IRenderedComponent<AccountsPage> cut, string accountId) =>
        cut.FindComponents<MudTr>().Single(r => r.FindAll($"a[href='/accounts/{accountId}']").Count > 0).Instance;

    private static string EventsCell(IRenderedComponent<AccountsPage> cut, string accountId) =>
        cut.Find($"a[href='/accounts/{accountId}']").Closest("tr")!.QuerySelector("td[data-label='Events']")!.TextContent.Trim();

    [Theory]
    [InlineData("ADA@EXAMPLE")]
    [InlineData("acc-4")]
    [InlineData("ангелина")]
    public async Task AccountsPage_SearchByEmailIdOrNonAsciiName_FindsOnlyThatAccount(string search)
    {
        await SeedAsync();
        await IngestAsync("""{"status":"SUCCESS","request_id":"l4","result":{"first_name":"Ангелина","last_name":"Kowalski","email":"angelina@example.com","public_identifier":"ak"}}""", "LOGIN_SUCCESS", "acc-4");
        await IngestAsync("""{"status":"SUCCESS","request_id":"l5","result":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS", "acc-5");
        Navigation.NavigateTo("/accounts?search=" + Uri.EscapeDataString(search));
        var cut = RenderPage<AccountsPage>();

        var expected = search == "ADA@EXAMPLE" ? new[] { "acc-1", "acc-5" } : ["acc-4"];
        cut.WaitForAssertion(() => Assert.Equal(expected,
            cut.FindAll("td[data-label='Account'] [data-account-id]").Select(a => a.GetAttribute("data-account-id")).Order().ToArray()), WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_NamedAndUnnamedAccounts_NameWithIdOnHoverAndIdAlone()
    {
        await SeedAsync();
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            var named = cut.Find("td[data-label='Account'] [data-account-id='acc-1']");
            Assert.Equal("Ada Lovelace", named.QuerySelector("[data-testid='account-name']")!.TextContent.Trim());
            Assert.Equal("ada@example.com", named.QuerySelector("[data-testid='account-email']")!.TextContent.Trim());
            Assert.Contains("id acc-1", named.GetAttribute("title"));
            Assert.NotNull(named.QuerySelector("button[aria-label='Copy the account id of Ada Lovelace']"));
            var unnamed = cut.Find("td[data-label='Account'] [data-account-id='acc-2']");
            Assert.Equal("acc-2", unnamed.QuerySelector("[data-testid='account-name']")!.TextContent.Trim());
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_AccountWithCountedGatewayCalls_ShowsItsActionGauge()
    {
        await SeedAsync();
        await GatewayCallsAsync("acc-1", GatewayBudget.Actions, 3);
        await GatewayCallsAsync("acc-1", GatewayBudget.MessageSyncs, 2);
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-account-id='acc-1']").Closest("tr")!;
            var gauge = row.QuerySelector("td[data-label='Actions, last hour'] [data-budget='actions']")!;
            Assert.Equal("3 / 100", gauge.QuerySelector(".budget-count")!.TextContent.Trim());
            // Compact in the list: the message-sync gauge is on the account's page.
            Assert.Null(row.QuerySelector("[data-budget='message-syncs']"));
            var other = cut.Find("[data-account-id='acc-2']").Closest("tr")!;
            Assert.Equal("0 / 100", other.QuerySelector("td[data-label='Actions, last hour'] .budget-count")!.TextContent.Trim());
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_MoreAccountsThanAPage_ShowsOnePageAndAPagerToTheRest()
    {
        var count = AccountsPage.RowsPerPage + 7;
        for (var i = 0; i < count; i++)
            await IngestAsync($$$"""{"status":"SUCCESS","request_id":"c{{{i}}}","result":{"connected":true}}""", "CONNECTION_SENT", $"acc-{i:000}");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(AccountsPage.RowsPerPage, cut.FindAll("tbody tr").Count);
            Assert.Contains($"{count} accounts", cut.Markup);
        }, WaitTimeout);
        var shownFirst = cut.FindAll("tbody tr [data-account-id]").Select(e => e.GetAttribute("data-account-id")).ToHashSet();

        await cut.Find("button[aria-label='Next page']").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(7, cut.FindAll("tbody tr").Count), WaitTimeout);
        var shownNext = cut.FindAll("tbody tr [data-account-id]").Select(e => e.GetAttribute("data-account-id")).ToHashSet();
        Assert.Empty(shownFirst.Intersect(shownNext));
        Assert.Equal(count, shownFirst.Count + shownNext.Count);

        // A filter that leaves fewer accounts than a page shows them from the first page, not an empty second one.
        Navigation.NavigateTo("/accounts?search=acc-00");
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("tbody tr").Count), WaitTimeout);
    }

    [Fact]
    public async Task AccountsPage_FewAccounts_ShowsNoPager()
    {
        await SeedAsync();
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count), WaitTimeout);
        Assert.Empty(cut.FindAll("button[aria-label='Next page']"));
    }

    [Fact]
    public async Task AccountsPage_BudgetSpentFromUrl_ListsOnlyTheSpentAccountWithItsFlag()
    {
        await SeedAsync();
        await GatewayCallsAsync("acc-2", GatewayBudget.Actions, 100);
        Navigation.NavigateTo("/accounts?health=BudgetSpent");
        var cut = RenderPage<AccountsPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindAll("tbody tr"));
            var row = cut.Find("[data-account-id='acc-2']").Closest("tr")!;
            Assert.Contains("100 / 100", row.QuerySelector("td[data-label='Actions, last hour']")!.TextContent);
            Assert.Contains("Budget spent", row.QuerySelector("td[data-label='Health']")!.TextContent);
        }, WaitTimeout);
    }
}

public class AccountsPageSyncTests : WeLink.Dashboard.Tests.Features.Pins.WeLinkApiComponentTest
{
    [Fact]
    public void AccountsPage_SyncWithWeLink_ShowsTheResultAndTheAccounts()
    {
        WeLink.ResponseBody = """[{"accountId":"acc-100","email":"hundred@example.com"}]""";
        var cut = RenderPage<AccountsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No accounts yet", cut.Markup), WaitTimeout);

        var sync = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Sync with We-Link");
        // Label in name: what a voice user says ("click Sync with We-Link") must be the start of its accessible name.
        Assert.StartsWith("Sync with We-Link", sync.GetAttribute("aria-label"));
        sync.Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("1 accounts from We-Link.", cut.Markup);
            Assert.NotEmpty(cut.FindAll("a[href='/accounts/acc-100']"));
        }, WaitTimeout);
        Assert.Contains(WeLink.Requests, r => r.Path == "/api/v1/get_all_ln_accounts");
    }
}
