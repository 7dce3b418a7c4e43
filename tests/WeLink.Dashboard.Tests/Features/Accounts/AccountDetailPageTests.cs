using Bunit;
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
}
