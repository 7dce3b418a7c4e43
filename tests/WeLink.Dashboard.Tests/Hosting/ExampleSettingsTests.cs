using System.Reflection;
using System.Text.Json;
using WeLink.Dashboard.Features.Demo;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Tests.Hosting;

/// <summary>appsettings.example.json documents every key the options classes bind, and the app's own defaults agree.</summary>
public class ExampleSettingsTests
{
    private static JsonElement Example()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "appsettings.example.json");
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path),
                    new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return document.RootElement.Clone();
            }
        }
        throw new FileNotFoundException("appsettings.example.json not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string, Type> Sections() => new()
    {
        { WeLinkOptions.Section, typeof(WeLinkOptions) },
        { IngestOptions.Section, typeof(IngestOptions) },
        { DashboardOptions.Section, typeof(DashboardOptions) },
        { DemoOptions.Section, typeof(DemoOptions) },
        { Data.DatabaseOptions.Section, typeof(Data.DatabaseOptions) },
        { global::WeLink.Dashboard.Features.Gateway.GatewayOptions.Section, typeof(global::WeLink.Dashboard.Features.Gateway.GatewayOptions) },
        { global::WeLink.Dashboard.Features.Alerts.AlertOptions.Section, typeof(global::WeLink.Dashboard.Features.Alerts.AlertOptions) },
        { global::WeLink.Dashboard.Live.RedisOptions.Section, typeof(global::WeLink.Dashboard.Live.RedisOptions) },
    };

    [Fact]
    public void Example_ListsEveryAlertRuleAndItsParameters()
    {
        var rules = Example().GetProperty("Alerts").GetProperty("Rules");
        foreach (var rule in typeof(global::WeLink.Dashboard.Features.Alerts.AlertRuleSettings).GetProperties())
        {
            var documented = rules.GetProperty(rule.Name).EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.All(rule.PropertyType.GetProperties().Where(p => p.CanWrite).Select(p => p.Name), key => Assert.Contains(key, documented));
        }
        Assert.Equal(new global::WeLink.Dashboard.Features.Alerts.PinWaitingRule().RemindAfter,
            TimeSpan.Parse(rules.GetProperty("PinWaiting").GetProperty("RemindAfter").GetString()!));
        Assert.Equal(new global::WeLink.Dashboard.Features.Alerts.ErrorSpikeRule().Threshold, rules.GetProperty("ErrorSpike").GetProperty("Threshold").GetInt32());
        Assert.Equal(new global::WeLink.Dashboard.Features.Alerts.RejectedDeliveriesRule().Threshold, rules.GetProperty("RejectedDeliveries").GetProperty("Threshold").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Example_ListsEveryBoundKey(string section, Type options)
    {
        var documented = Example().GetProperty(section).EnumerateObject().Select(p => p.Name).ToHashSet();
        var bound = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        Assert.All(bound, key => Assert.Contains(key, documented));
    }

    [Fact]
    public void Example_DefaultsMatchTheCode()
    {
        var example = Example();
        var weLink = new WeLinkOptions();
        Assert.Equal(weLink.ApiBaseUrl.ToString().TrimEnd('/'), example.GetProperty("WeLink").GetProperty("ApiBaseUrl").GetString());
        Assert.Equal(weLink.PinTimeout, TimeSpan.Parse(example.GetProperty("WeLink").GetProperty("PinTimeout").GetString()!));
        Assert.Equal(new IngestOptions().MaxBodyBytes, example.GetProperty("Ingest").GetProperty("MaxBodyBytes").GetInt32());
        Assert.Equal(new IngestOptions().RetentionDays, example.GetProperty("Ingest").GetProperty("RetentionDays").GetInt32());
        Assert.Equal(Data.DatabaseSetup.DefaultConnectionString, example.GetProperty("ConnectionStrings").GetProperty("Dashboard").GetString());
        Assert.Equal(new Data.DatabaseOptions().Provider, example.GetProperty("Database").GetProperty("Provider").GetString());
        Assert.Equal(new global::WeLink.Dashboard.Live.RedisOptions().Configuration, example.GetProperty("Redis").GetProperty("Configuration").GetString());
        Assert.Equal(new global::WeLink.Dashboard.Live.RedisOptions().ChannelPrefix, example.GetProperty("Redis").GetProperty("ChannelPrefix").GetString());
        Assert.Equal(new DashboardOptions().AdminUser, example.GetProperty("Dashboard").GetProperty("AdminUser").GetString());
        Assert.Equal(new global::WeLink.Dashboard.Features.Gateway.GatewayOptions().ActionsPerHour, example.GetProperty("Gateway").GetProperty("ActionsPerHour").GetInt32());
        Assert.Equal(new global::WeLink.Dashboard.Features.Gateway.GatewayOptions().MessageSyncsPerHour, example.GetProperty("Gateway").GetProperty("MessageSyncsPerHour").GetInt32());
        Assert.Equal(new DemoOptions().EventsPerSecond, example.GetProperty("Demo").GetProperty("EventsPerSecond").GetDouble());
        Assert.Equal(new DemoOptions().PinLoginInterval, TimeSpan.Parse(example.GetProperty("Demo").GetProperty("PinLoginInterval").GetString()!));
    }
}
