using System.Text.Json;

namespace WeLink.Dashboard.IntegrationTests.Runtime;

/// <summary>
/// The runtime settings the dashboard's process starts with (<c>WeLink.Dashboard.runtimeconfig.json</c>, the file
/// <c>dotnet WeLink.Dashboard.dll</c> reads, made from the project file): Server GC, and tiered compilation without
/// dynamic PGO's instrumented pass, so that a started or restarted dashboard reaches optimized code in its first
/// seconds (BENCHMARKS.md, eighteenth look).
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void RuntimeConfig_TheDashboardStartsWith_ServerGcAndNoDynamicPgo()
    {
        var path = Path.ChangeExtension(typeof(Program).Assembly.Location, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo), "System.Runtime.TieredPGO is not set: dynamic PGO is on by default");
        Assert.False(pgo.GetBoolean());
        // Tiering itself stays on: without it, code compiled before start (ReadyToRun: Kestrel, the JSON writer,
        // SQLite's wrapper) is never optimized again, and the no-op endpoint answered 10,838 against 14,040 requests/s.
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered) && !tiered.GetBoolean());
    }
}
