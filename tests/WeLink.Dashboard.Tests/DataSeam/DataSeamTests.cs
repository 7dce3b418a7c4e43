using System.Text.RegularExpressions;

namespace WeLink.Dashboard.Tests.DataSeam;

/// <summary>
/// SQL and the SQLite provider stay under <c>src/WeLink.Dashboard/Data/</c>, so another database
/// provider changes that folder and the migrations only. Read from the source tree, as a reviewer would.
/// </summary>
public sealed partial class DataSeamTests
{
    private static string AppSource()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeLink.Dashboard.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "src", "WeLink.Dashboard");
    }

    /// <summary>The app's own source files outside Data/ (build output aside).</summary>
    private static IEnumerable<(string Path, string Text)> OutsideData()
    {
        var root = AppSource();
        return Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.StartsWith("Data" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(root, f))));
    }

    [GeneratedRegex(@"Microsoft\.Data\.Sqlite|\bSqlite(Command|Connection|ConnectionStringBuilder|Exception|Transaction|DataReader)\b")]
    private static partial Regex SqliteReference();

    [GeneratedRegex(@"\b(SELECT\s+\S.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA\s+\w+)\b")]
    private static partial Regex SqlStatement();

    [Fact]
    public void Source_OutsideData_NoSqliteProviderReference()
    {
        var offenders = OutsideData().Where(f => SqliteReference().IsMatch(f.Text)).Select(f => f.Path).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Source_OutsideData_NoSqlStatements()
    {
        var offenders = OutsideData()
            .SelectMany(f => f.Text.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && SqlStatement().IsMatch(line))
                .Select(line => $"{f.Path}: {line.Trim()}"))
            .ToList();
        Assert.Empty(offenders);
    }
}
