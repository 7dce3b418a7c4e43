using System.Text.RegularExpressions;

namespace WeLink.Dashboard.Tests.Hosting;

/// <summary>A user's clone is all there is: no project, test, script or CI step may reach outside the repository.</summary>
public class SelfContainedRepositoryTests
{
    // Lower-case "shared" is the team folder beside a developer's checkout; tests/Shared was the repository's own (now tests/WeLink.Testing).
    // Built from parts so that this file does not match its own pattern.
    private static readonly Regex OutsidePath = new(
        @"\.\.[/\\]+" + "shared" + @"|" + "shared" + @"[/\\]+fixtures|WELINK_" + "SHARED",
        RegexOptions.Compiled);

    private static readonly string[] Checked = [".cs", ".csproj", ".props", ".targets", ".sh", ".json", ".razor"];

    private static DirectoryInfo RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeLink.Dashboard.sln"))) return dir;
        throw new DirectoryNotFoundException("WeLink.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> ProjectFiles(DirectoryInfo root)
    {
        foreach (var file in Directory.EnumerateFiles(root.FullName, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root.FullName, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj" or ".git" or "artifacts" or "node_modules")) continue;
            var inCi = relative.StartsWith(".ci/", StringComparison.Ordinal);
            if (inCi || Checked.Contains(Path.GetExtension(file))) yield return relative;
        }
    }

    [Fact]
    public void ProjectFiles_ReferenceNoPathOutsideTheRepository()
    {
        var root = RepositoryRoot();
        var files = ProjectFiles(root).ToList();
        Assert.Contains("run-tests.sh", files);
        Assert.Contains(files, f => f.EndsWith("TestFixtures.cs", StringComparison.Ordinal));

        var offenders = files
            .SelectMany(f => File.ReadLines(Path.Combine(root.FullName, f))
                .Select((line, i) => (f, i, line))
                .Where(x => OutsidePath.IsMatch(x.line)))
            .Select(x => $"{x.f}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Paths outside the repository:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void Pattern_CatchesTheFormsThatBrokeAFreshClone()
    {
        Assert.Matches(OutsidePath, "Path.Combine(dir, \"../" + "shared/" + "fixtures\")");
        Assert.Matches(OutsidePath, "var candidate = Path.Combine(dir.FullName, \"" + "shared\", \"fixtures\")".Replace("\", \"", "/"));
        Assert.DoesNotMatch(OutsidePath, "tests/Fixtures/hmac-vectors.json");
        Assert.DoesNotMatch(OutsidePath, @"<Compile Include=""..\Shared\*.cs"" />");
    }

    [Fact]
    public void Fixtures_AreCopiedIntoTheTestOutput()
    {
        Assert.NotEmpty(WeLink.Testing.TestFixtures.HmacVectors());
        Assert.NotEmpty(WeLink.Testing.TestFixtures.Samples("events"));
        Assert.StartsWith(AppContext.BaseDirectory, WeLink.Testing.TestFixtures.FixturePath("hmac-vectors.json"), StringComparison.Ordinal);
    }
}
