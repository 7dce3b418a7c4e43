namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>The secret searches' failure message: which file, and the bytes around the match.</summary>
public sealed class FileSearchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("welink-filesearch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AssertNowhere_TextInALogLine_FailsQuotingTheLineAroundIt()
    {
        var log = Path.Combine(_dir, "dashboard.log");
        File.WriteAllText(log, "{\"@t\":\"2026-12-02T10:00:00.1234567Z\",\"@mt\":\"Stored {Id}\",\"Elapsed\":0.91827364}\n\u0001tail\n");
        File.WriteAllText(Path.Combine(_dir, "other.log"), "nothing here\n");

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FileSearch.AssertNowhere(_dir, "91827364"));

        Assert.Contains(log, failure.Message);
        Assert.Contains("\"Elapsed\":0.91827364}\\x0a\\x01tail", failure.Message);
        Assert.DoesNotContain("other.log", failure.Message);
        FileSearch.AssertNowhere(_dir, "73829");
    }
}
