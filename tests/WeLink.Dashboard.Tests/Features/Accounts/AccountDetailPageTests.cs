using Bunit;
using Microsoft.AspNetCore.Components.Web;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Accounts;

public class AccountDetailPageTests : DashboardComponentTest
{
    [Fact]
    public async Task AccountDetailPage_Renders_TimelineErrorsAndConnections()
    {
        var failed = await IngestAsync("""{"status":"FAILED","request_id":"c1","error":"PROXY_ERROR"}""", "CONNECTION_FAILED", "acc-1");
        await IngestAsync("""{"status":"SUCCESS","request_id":"c2","result":{"connected":true,"profile_id":"p1"}}""", "CONNECTION_SENT", "acc-1");
        await IngestAsync("""{"status":"SUCCESS","request_id":"c3","result":{"connected":true,"profile_id":"p2"}}""", "CONNECTION_SENT", "acc-2");

        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "acc-1"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("acc-1", cut.Find("h1").TextContent.Trim());
            var rows = cut.FindAll("[aria-label='Latest events'] tbody tr");
            Assert.Equal(2, rows.Count);
            Assert.NotNull(cut.Find($"a[href='/events?account=acc-1&event={failed.EventId}']"));
            Assert.Contains("Check the proxy settings", cut.Markup);
            Assert.Contains("50%", cut.Markup);
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountDetailPage_LoginOutcomeArrives_StateChangesLive()
    {
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "acc-1"));
        cut.WaitForAssertion(() => Assert.Contains("A PIN is needed", cut.Markup), WaitTimeout);

        await IngestAsync("""{"status":"SUCCESS","request_id":"r1","result":{"first_name":"Ada","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS");

        cut.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("A PIN is needed", cut.Markup);
            Assert.Contains("Connected", cut.Find("h1").ParentElement!.ParentElement!.TextContent);
            Assert.Equal(2, cut.FindAll("[aria-label='Latest events'] tbody tr").Count);
        }, WaitTimeout);
    }

    [Fact]
    public void AccountDetailPage_UnknownAccount_SaysSo()
    {
        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "nobody"));

        cut.WaitForAssertion(() => Assert.Contains("No account \"nobody\" is known yet", cut.Markup), WaitTimeout);
    }

    [Fact]
    public async Task AccountDetailPage_NamedAccount_HeadingAndTabTitleByNameWithIdOnHover()
    {
        await IngestAsync("""{"status":"SUCCESS","request_id":"l1","result":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","public_identifier":"ada"}}""", "LOGIN_SUCCESS", "acc-1");
        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "acc-1"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Ada Lovelace", cut.Find("h1").TextContent.Trim());
            var label = cut.Find("[data-testid='account-label'][data-account-id='acc-1']");
            Assert.Contains("id acc-1", label.GetAttribute("title"));
            Assert.Equal("ada@example.com", label.QuerySelector("[data-testid='account-email']")!.TextContent.Trim());
            Assert.NotNull(label.QuerySelector("button[aria-label='Copy the account id of Ada Lovelace']"));
            Assert.Equal("Ada Lovelace · Accounts · WeLink.Dashboard", TitleOf(cut));
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountDetailPage_UnnamedAccount_HeadingAndTitleById()
    {
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-9");
        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "acc-9"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("acc-9", cut.Find("h1").TextContent.Trim());
            Assert.Equal("acc-9", cut.Find("[data-account-id='acc-9'] [data-testid='account-name']").TextContent.Trim());
            Assert.Equal("acc-9 · Accounts · WeLink.Dashboard", TitleOf(cut));
        }, WaitTimeout);
    }

    [Fact]
    public async Task AccountDetailPage_CountedGatewayCalls_ShowsBothGauges()
    {
        await IngestAsync("""{"status":"PIN_REQUIRED","request_id":"r1","message":"code"}""", accountHint: "acc-1");
        await BudgetSeed.AddAsync(Context.Services, "acc-1", GatewayBudget.Actions, 7);
        await BudgetSeed.AddAsync(Context.Services, "acc-1", GatewayBudget.MessageSyncs, 4);
        await BudgetSeed.AddAsync(Context.Services, "acc-2", GatewayBudget.Actions, 9);
        var cut = RenderPage<AccountDetailPage>(parameters: p => p.Add(x => x.AccountId, "acc-1"));

        cut.WaitForAssertion(() =>
        {
            var budget = cut.Find("[data-testid='account-budget']");
            Assert.Equal("7 / 100", budget.QuerySelector("[data-budget='actions'] .budget-count")!.TextContent.Trim());
            Assert.Equal("4 / 150", budget.QuerySelector("[data-budget='message-syncs'] .budget-count")!.TextContent.Trim());
        }, WaitTimeout);
    }

    /// <summary>What the browser tab would say: the page's <see cref="PageTitle"/> content, rendered.</summary>
    private string TitleOf(IRenderedComponent<AccountDetailPage> cut) =>
        Context.Render(cut.FindComponent<PageTitle>().Instance.ChildContent!).Markup.Trim();
}
