using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
namespace WeLink.Dashboard.IntegrationTests.Security;
public sealed class DebugScratch(ITestOutputHelper output)
{
    [Fact]
    public void Scratch()
    {
        using var dir = new TestDirectory();
        using var app = DashboardApp.Start(dir.Path);
        var o = app.Services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get("WeLinkApiClient");
        foreach (var p in o.GetType().GetProperties(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            output.WriteLine("prop " + p.Name + " = " + p.GetValue(o));
        foreach (var f in app.Services.GetServices<IHttpMessageHandlerBuilderFilter>()) output.WriteLine("filter " + f.GetType().FullName);
    }
}
