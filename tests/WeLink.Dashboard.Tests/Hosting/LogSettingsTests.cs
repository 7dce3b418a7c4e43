using System.Text.Json;

namespace WeLink.Dashboard.Tests.Hosting;

/// <summary>The shipped logging settings cap the log file's size, so anonymous traffic cannot fill the disk.</summary>
public class LogSettingsTests
{
    private static JsonElement FileSinkArgs(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relativePath);
            if (!File.Exists(path)) continue;
            using var document = JsonDocument.Parse(File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.GetProperty("Serilog").GetProperty("WriteTo").EnumerateArray()
                .Single(s => s.GetProperty("Name").GetString() == "File").GetProperty("Args").Clone();
        }
        throw new FileNotFoundException(relativePath + " not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData("appsettings.example.json")]
    [InlineData("src/WeLink.Dashboard/appsettings.json")]
    public void FileSink_RollsAtASizeLimit_AndKeepsABoundedNumberOfFiles(string settings)
    {
        var args = FileSinkArgs(settings);

        Assert.InRange(args.GetProperty("fileSizeLimitBytes").GetInt64(), 1024 * 1024, 1024L * 1024 * 1024);
        Assert.True(args.GetProperty("rollOnFileSizeLimit").GetBoolean());
        Assert.InRange(args.GetProperty("retainedFileCountLimit").GetInt32(), 1, 100);
    }
}
