using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

public sealed class DatabaseTroubleTests
{
    // SQLite only: a file locked by another process.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Ingest_DatabaseLockedByAnotherProcess_Answers503ThenRecoversByItself()
    {
        using var folder = new TestFolder();
        await using var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs);
        var events = SignedEvents.Make(3, "locked");

        using (var locker = new SqliteConnection($"Data Source={folder.Database};Pooling=False"))
        {
            locker.Open();
            using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();

            using var refused = await server.Http.PostAsync(events[0].Path, events[0].Content());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);

            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        // No restart, no operator: the next deliveries (We-Link's retries) are stored.
        await Poll.UntilAsync(async () => (await server.Http.PostAsync(events[0].Path, events[0].Content())).StatusCode,
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ingest to recover after the lock");
        foreach (var e in events.Skip(1))
        {
            using var answer = await server.Http.PostAsync(e.Path, e.Content());
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        Assert.Equal(3, SignedEvents.StoredRequestIds(folder.Database).Count);
        Assert.Equal(HttpStatusCode.OK, await server.HealthAsync());
    }

    // SQLite only: SQLite on a full file system.
    [Trait("Provider", TestStore.SqliteOnly)]
    [Fact]
    public async Task Ingest_DiskFull_Answers503ThenRecoversOnceSpaceIsFree()
    {
        using var folder = new TestFolder();
        // A small file system of its own (tmpfs; the tests run as root, as CI does).
        var mountPoint = Path.Combine(folder.Path, "small-disk");
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint);
        try
        {
            var database = Path.Combine(mountPoint, "dashboard.db");
            await using var server = await ChildDashboard.StartAsync(database, folder.Logs);
            var filler = Path.Combine(mountPoint, "filler.bin");
            FillDisk(filler, leaveBytes: 512 * 1024);

            // Bodies of about 100 KB: the disk fills after a few of them.
            var big = Enumerable.Range(0, 200).Select(i => BigEvent($"full-{i:D3}")).ToList();
            var answers = new List<HttpStatusCode>();
            foreach (var e in big)
            {
                using var answer = await server.Http.PostAsync(e.Path, e.Content());
                answers.Add(answer.StatusCode);
                if (answer.StatusCode != HttpStatusCode.OK) break;
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[^1]);
            Assert.All(answers, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {(int)status}"));
            Assert.Equal(HttpStatusCode.OK, await server.HealthAsync());

            // Space comes back: the event that was refused is stored on We-Link's next retry, no restart.
            File.Delete(filler);
            var refused = big[answers.Count - 1];
            await Poll.UntilAsync(async () => (await server.Http.PostAsync(refused.Path, refused.Content())).StatusCode,
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ingest to recover after space was freed");
            Assert.Equal(answers.Count, SignedEvents.StoredRequestIds(database).Count);
            Assert.Equal("ok", SignedEvents.Scalar<string>(database, "PRAGMA integrity_check"));
            await server.DisposeAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Run("umount", "-l", mountPoint);
        }
    }

    private static SignedEvent BigEvent(string requestId)
    {
        var text = string.Concat(Enumerable.Range(0, 2_500).Select(i => $"{requestId}-{i:D5}-"));
        return new SignedEvent(requestId, "/webhooks/welink?account=acc-full",
            System.Text.Encoding.UTF8.GetBytes(WeLink.Webhooks.WebhookSigner.Sign(
                $"{{\"status\":\"SUCCESS\",\"request_id\":\"{requestId}\",\"result\":{{\"text\":\"{text}\"}}}}", SignedEvents.Secret)));
    }

    private static void FillDisk(string path, long leaveBytes)
    {
        var free = new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace;
        using var file = File.Create(path);
        var chunk = new byte[64 * 1024];
        for (var left = free - leaveBytes; left > 0; left -= chunk.Length) file.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}. This test needs root to mount a small tmpfs, as CI has.");
    }
}
