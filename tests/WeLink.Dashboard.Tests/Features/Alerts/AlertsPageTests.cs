using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Alerts;
using WeLink.Dashboard.Tests.Components;

namespace WeLink.Dashboard.Tests.Features.Alerts;

public class AlertsPageTests : DashboardComponentTest
{
    private const string SlackUrl = "https://hooks.slack.com/services/T1/B2/page-secret-path";

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:Channels:0:Name"] = "ops-slack",
            ["Alerts:Channels:0:Kind"] = "Slack",
            ["Alerts:Channels:0:Url"] = SlackUrl,
            ["Alerts:Channels:1:Name"] = "bot",
            ["Alerts:Channels:1:Kind"] = "Telegram",
            ["Alerts:Channels:1:BotToken"] = "55:page-bot-token",
            ["Alerts:Channels:1:ChatId"] = "7",
            ["Alerts:Rules:ErrorSpike:Threshold"] = "33",
        }).Build());
    }

    [Fact]
    public void Render_ChannelsMaskedAndRulesWithParameters()
    {
        var cut = RenderPage<AlertsPage>("/admin/alerts");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=channels] tbody tr").Count), WaitTimeout);
        Assert.Contains("https://hooks.slack.com/••••", cut.Markup);
        Assert.DoesNotContain("page-secret-path", cut.Markup);
        Assert.DoesNotContain("page-bot-token", cut.Markup);
        Assert.Contains("Threshold 33", cut.Find("tr[data-rule=ErrorSpike]").TextContent);
        Assert.Contains("RemindAfter 00:03:00", cut.Find("tr[data-rule=PinWaiting]").TextContent);
        Assert.Contains("No alert yet", cut.Markup);
    }

    [Fact]
    public void SendTest_QueuesATestForThatChannelShownInTheLog()
    {
        var cut = RenderPage<AlertsPage>("/admin/alerts");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=channels] tbody tr").Count), WaitTimeout);

        cut.Find("button[aria-label='Send a test alert to bot']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("queued", cut.Find("[role=status]").TextContent);
            var log = cut.Find("[data-testid=log] tbody").TextContent;
            Assert.Contains("Test", log);
            Assert.Contains("bot", log);
            Assert.Contains("waiting for the sender", log);
            Assert.DoesNotContain("ops-slack", log);
        }, WaitTimeout);
    }
}
