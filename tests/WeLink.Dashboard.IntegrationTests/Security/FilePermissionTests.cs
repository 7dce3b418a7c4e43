using System.Net;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Security;

// SQLite only: the database file and its WAL.
[Trait("Provider", TestStore.SqliteOnly)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task DatabaseWalKeysAndLogs_AreReadableByTheOwnerOnly()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var body = WebhookSigner.Sign("""{"status":"SUCCESS","request_id":"perm-1","result":{"connected":true}}""", DashboardApp.Secret);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWebhookAsync(body)).StatusCode);
        using (var browser = SignInFlow.For(app)) await browser.SignInAsync(DashboardApp.AdminUser, DashboardApp.AdminPassword);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(app.LogDirectory) && Directory.EnumerateFiles(app.LogDirectory).Any()), TimeSpan.FromSeconds(15)));

        var search = WeLink.Dashboard.Data.SearchIndexFile.PathFor(app.DatabasePath);
        var files = new List<string> { app.DatabasePath, app.DatabasePath + "-wal", search };
        files.AddRange(Directory.EnumerateFiles(app.LogDirectory));
        files.AddRange(Directory.EnumerateFiles(Path.Combine(_dir.Path, "keys")));
        foreach (var file in files)
        {
            Assert.True(File.Exists(file), file);
            Assert.True((File.GetUnixFileMode(file) & GroupOrOthers) == 0, $"{file} is {File.GetUnixFileMode(file)}");
        }
    }

    [Fact]
    public async Task ExistingWideFiles_AreTightenedAtStart()
    {
        using (DashboardApp.Start(_dir.Path))
        {
        }
        var database = Path.Combine(_dir.Path, "dashboard.db");
        var search = WeLink.Dashboard.Data.SearchIndexFile.PathFor(database);
        foreach (var file in new[] { database, search })
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var app = DashboardApp.Start(_dir.Path);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/api/overview")).StatusCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(search));
    }
}
