using System.Text.Json;

namespace WeLink.Testing;

/// <summary>
/// The signed sample bodies and HMAC vectors under <c>tests/Fixtures</c>, copied into each test project's
/// output folder by its project file (see tests/Fixtures/README.md for how they were made).
/// </summary>
public static class TestFixtures
{
    public const string SampleSecret = "fixture-secret";

    private static readonly Lazy<string> Root = new(() =>
    {
        var candidate = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        if (Directory.Exists(candidate)) return candidate;
        throw new DirectoryNotFoundException("Fixtures were not copied to " + AppContext.BaseDirectory + " (see tests/Fixtures)");
    });

    public static string FixturePath(string relative) => Path.Combine(Root.Value, relative);

    public static IReadOnlyList<HmacVector> HmacVectors()
    {
        using var stream = File.OpenRead(FixturePath("hmac-vectors.json"));
        return JsonSerializer.Deserialize<List<HmacVector>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Signed bodies with escaped lone surrogates, Node and Python form (tests/Fixtures/lone-surrogates).</summary>
    public static IReadOnlyList<SignedVector> LoneSurrogateVectors()
    {
        using var stream = File.OpenRead(FixturePath(Path.Combine("lone-surrogates", "vectors.json")));
        return JsonSerializer.Deserialize<List<SignedVector>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
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

/// <summary>A body signed by a real Node or Python sender; every one must be accepted.</summary>
public sealed record SignedVector(string Name, string Form, string Secret, string Body)
{
    public override string ToString() => Form + ":" + Name;
}
