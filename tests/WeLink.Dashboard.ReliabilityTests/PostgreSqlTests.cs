using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace WeLink.Dashboard.ReliabilityTests;

/// <summary>
/// What only PostgreSQL can be asked: two dashboard processes writing to one database, and the database server
/// refusing connections. These choose PostgreSQL themselves (the private cluster of ./run-tests.sh), so they run
/// in the first pass; the crash, load and bad-input tests run on PostgreSQL in the second pass (TestStore).
/// </summary>
[Trait("Provider", TestStore.PostgreSqlItself)]
public sealed class PostgreSqlTests(ITestOutputHelper output)
{
    private const string Token = "reliability-admin-token-0123456789";

    /// <summary>The child's settings (environment variables) for <paramref name="database"/>, with an API token.</summary>
    private static Dictionary<string, string> Settings(PostgresTestDatabase database) => new()
    {
        ["Database__Provider"] = "PostgreSQL",
        ["ConnectionStrings__Dashboard"] = database.ConnectionString,
        ["Dashboard__ApiTokens__0__Name"] = "reliability",
        ["Dashboard__ApiTokens__0__Token"] = Token,
        ["Dashboard__ApiTokens__0__Role"] = "Admin",
    };

    [Fact]
    public async Task Ingest_TwoProcessesOnOneDatabase_10000EventsWithRedeliveriesAndSimultaneousCopies_EachStoredOnceCountersEqualRecount()
    {
        using var folder = new TestFolder();
        var database = TestStore.DatabaseFor(folder.Database);
        // Both start at once on a database that does not exist yet: one creates and migrates it, the other waits.
        var servers = await Task.WhenAll(
            ChildDashboard.StartAsync(folder.Database, Path.Combine(folder.Path, "logs-a"), Settings(database)),
            ChildDashboard.StartAsync(folder.Database, Path.Combine(folder.Path, "logs-b"), Settings(database)));
        try
        {
            var events = SignedEvents.Make(10_000, "two");
            var statuses = new ConcurrentDictionary<int, int>();
            var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            var redeliveries = 0;
            var simultaneous = 0;
            var oks = 0;
            var next = -1;
            var watch = Stopwatch.StartNew();

            // One delivery until it is acknowledged; a 503 is sent again (to either process), as We-Link retries.
            async Task DeliverAsync(SignedEvent e, ChildDashboard server, Random rng)
            {
                for (var attempt = 0; ; attempt++)
                {
                    using var answer = await server.Http.PostAsync(e.Path, e.Content());
                    statuses.AddOrUpdate((int)answer.StatusCode, 1, (_, n) => n + 1);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref oks);
                        acknowledged[e.RequestId] = 0;
                        return;
                    }
                    Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 20,
                        $"{e.RequestId} answered {(int)answer.StatusCode} (attempt {attempt + 1}): {await answer.Content.ReadAsStringAsync()}");
                    server = servers[rng.Next(2)];
                }
            }

            async Task Sender(int sender)
            {
                var rng = new Random(sender);
                var mine = new List<SignedEvent>();
                while (true)
                {
                    if (mine.Count > 0 && rng.Next(20) == 0)
                    {
                        // One delivery in twenty redelivers an acknowledged event, to either process.
                        Interlocked.Increment(ref redeliveries);
                        await DeliverAsync(mine[rng.Next(mine.Count)], servers[rng.Next(2)], rng);
                        continue;
                    }
                    var index = Interlocked.Increment(ref next);
                    if (index >= events.Count) return;
                    var e = events[index];
                    if (index % 25 == 0)
                    {
                        // The same event to both processes at the same moment: one stores it, the other finds it.
                        Interlocked.Increment(ref simultaneous);
                        await Task.WhenAll(DeliverAsync(e, servers[0], rng), DeliverAsync(e, servers[1], rng));
                    }
                    else
                    {
                        await DeliverAsync(e, servers[index % 2], rng);
                    }
                    mine.Add(e);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 32).Select(s => Task.Run(() => Sender(s))));
            output.WriteLine($"{events.Count} events, {redeliveries} redeliveries, {simultaneous} sent to both at once, {oks} acknowledged deliveries " +
                $"in {watch.Elapsed.TotalSeconds:0.0} s; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
                $"load {File.ReadAllText("/proc/loadavg").Trim()}");

            Assert.Equal(400, simultaneous);
            Assert.InRange(redeliveries, 300, 800);
            Assert.Equal(events.Count, acknowledged.Count);
            var stored = SignedEvents.StoredRequestIds(folder.Database);
            Assert.Equal(events.Count, stored.Count);
            Assert.All(events, e => Assert.Equal(1, stored.GetValueOrDefault(e.RequestId)));
            // Every acknowledged delivery counted once on its one row: first stores, redeliveries and the simultaneous copies.
            Assert.Equal(oks, SignedEvents.Scalar<long>(folder.Database, "SELECT SUM(DeliveryCount) FROM Events"));
            Recount.AssertCountersEqualRecount(folder.Database);
            Assert.Equal(17, SignedEvents.Scalar<long>(folder.Database, "SELECT COUNT(*) FROM Accounts WHERE EventCount > 0"));

            // Both processes answer the same from the one database.
            var since = DateTimeOffset.UtcNow.AddHours(-2).ToString("o");
            var until = DateTimeOffset.UtcNow.AddHours(1).ToString("o");
            foreach (var route in new[] { $"/api/stats/errors?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}", "/api/accounts" })
            {
                var answers = await Task.WhenAll(servers.Select(server => GetAsync(server, route)));
                Assert.Equal(answers[0], answers[1]);
            }
            var errors = await GetAsync(servers[1], $"/api/stats/errors?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}");
            var failed = SignedEvents.Scalar<long>(folder.Database, "SELECT COUNT(*) FROM Events WHERE ErrorCode IS NOT NULL");
            Assert.Contains($"\"total\":{failed},", errors);
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    private static async Task<string> GetAsync(ChildDashboard server, string route)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var answer = await server.Http.SendAsync(request);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{route} answered {(int)answer.StatusCode}: {text}");
        return text;
    }

    [Fact]
    public async Task Ingest_DatabaseRefusingConnections_Answers503ThenRecoversByItself()
    {
        using var folder = new TestFolder();
        var database = TestStore.DatabaseFor(folder.Database);
        await using var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs, Settings(database));
        var events = SignedEvents.Make(3, "down");
        using (var first = await server.Http.PostAsync(events[0].Path, events[0].Content()))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The database goes away for the dashboard: no new connections, the open ones cut.
        Maintenance(database, $"""ALTER DATABASE "{database.Name}" ALLOW_CONNECTIONS false""");
        Maintenance(database, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}' AND pid <> pg_backend_pid()");
        try
        {
            foreach (var e in events.Skip(1))
            {
                using var refused = await server.Http.PostAsync(e.Path, e.Content());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            Assert.False(server.HasExited);
        }
        finally
        {
            Maintenance(database, $"""ALTER DATABASE "{database.Name}" ALLOW_CONNECTIONS true""");
        }

        // Back: We-Link's retries are stored, no restart, no operator.
        await Poll.UntilAsync(async () =>
        {
            using var answer = await server.Http.PostAsync(events[1].Path, events[1].Content());
            return answer.StatusCode;
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "ingest to recover after the database came back");
        using (var last = await server.Http.PostAsync(events[2].Path, events[2].Content()))
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var stored = SignedEvents.StoredRequestIds(folder.Database);
        Assert.Equal(3, stored.Count);
        Assert.All(events, e => Assert.Equal(1, stored.GetValueOrDefault(e.RequestId)));
        Assert.Equal(HttpStatusCode.OK, await server.HealthAsync());
    }

    /// <summary>A statement on the cluster's maintenance database (the dashboard's own may be refusing connections).</summary>
    private static void Maintenance(PostgresTestDatabase database, string sql)
    {
        using var connection = new NpgsqlConnection(database.Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
