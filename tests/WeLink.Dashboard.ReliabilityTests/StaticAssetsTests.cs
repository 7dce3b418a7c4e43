using System.Net;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

/// <summary>
/// The build output started as Production (no launch profile, no Development static-web-assets
/// manifest by default) still serves the framework's, MudBlazor's and our own assets.
/// </summary>
public sealed class StaticAssetsTests
{
    [Fact]
    public async Task ProductionBuildOutput_ServesEveryAsset()
    {
        using var folder = new TestFolder();
        await using var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs);

        foreach (var (path, contentType) in new[]
        {
            ("/_framework/blazor.web.js", "javascript"),
            ("/_content/MudBlazor/MudBlazor.min.css", "css"),
            ("/_content/MudBlazor/MudBlazor.min.js", "javascript"),
            ("/dashboard.css", "css"),
            ("/dashboard.js", "javascript"),
            ("/favicon.svg", "svg"),
        })
        {
            using var response = await server.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(contentType, response.Content.Headers.ContentType?.MediaType ?? "");
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, path);
        }
    }
}
