using System.Text.Json;

namespace WeLink.Testing;

/// <summary>Finds <c>shared/fixtures</c>, which sits beside the repository's folder.</summary>
public static class SharedFixtures
{
    public const string SampleSecret = "fixture-secret";

    private static readonly Lazy<string> Root = new(() =>
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WELINK_SHARED_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/fixtures was not found above " + AppContext.BaseDirectory);
    });

    public static string FixturePath(string relative) => Path.Combine(Root.Value, relative);

    public static IReadOnlyList<HmacVector> HmacVectors()
    {
        using var stream = File.OpenRead(FixturePath("hmac-vectors.json"));
        return JsonSerializer.Deserialize<List<HmacVector>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Sample bodies: (true type or error code, exact body text).</summary>
    public static IReadOnlyList<(string Name, string Body)> Samples(string folder) =>
        Directory.GetFiles(FixturePath(Path.Combine("samples", folder)), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))
            .ToList();
}

public sealed record HmacVector(string Name, string Secret, string Body, bool Valid, string Form, string Note)
{
    public override string ToString() => Name;
}
