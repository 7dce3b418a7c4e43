using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;
using WeLink.Dashboard.Features.Demo;
using WeLink.Emulator.FakeApi;

namespace WeLink.Dashboard.Tests.Features.Demo;

public sealed class DemoBannerTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();

    public DemoBannerTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    [Fact]
    public void DemoBanner_NotInDemo_RendersNothing()
    {
        var cut = _context.Render<DemoBanner>();
        Assert.Empty(cut.FindAll("[data-testid=demo-banner]"));
        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public async Task DemoBanner_InDemo_SaysDemoAndNamesTheDatabase()
    {
        var api = await FakeWeLinkApi.StartAsync(new FakeWeLinkOptions
        {
            ApiKey = "k",
            ApiSecret = "s",
            Accounts = 2,
            ConfigureLogging = logging => logging.ClearProviders(),
        }, CancellationToken.None);
        var database = Path.Combine(Path.GetTempPath(), "somewhere", "data", "demo", "welink-demo.db");
        await using var session = new DemoSession(api, "k", "s", "w", database);
        _context.Services.AddSingleton(session);

        var banner = _context.Render<DemoBanner>().Find("[data-testid=demo-banner]");

        Assert.Contains("Demo", banner.TextContent);
        Assert.Contains(database, banner.TextContent);
        Assert.Contains("000000", banner.TextContent);
    }
}
