using System.Collections.Concurrent;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

public sealed class CrashTests
{
    [Fact]
    public async Task Ingest_ServerKilledThreeTimesMidLoad_ResentUntilAcknowledged_EachEventStoredOnceAndFileIntact()
    {
        using var folder = new TestFolder();
        var events = SignedEvents.Make(6_000, "crash");
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var deliveries = 0;

        for (var round = 0; round < 4; round++)
        {
            var crash = round < 3;
            var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs);
            try
            {
                // Every acknowledgement from before the last kill must have survived it.
                var survived = SignedEvents.StoredRequestIds(folder.Database);
                Assert.All(acknowledged.Keys, id => Assert.True(survived.ContainsKey(id), $"acknowledged {id} was lost in a crash"));

                // Like We-Link: whatever was not acknowledged is sent again (unacknowledged ones may be stored already).
                var pending = new ConcurrentQueue<SignedEvent>(events.Where(e => !acknowledged.ContainsKey(e.RequestId)));
                var killAt = acknowledged.Count + 1_200;
                using var stop = new CancellationTokenSource();

                async Task Sender()
                {
                    while (!stop.IsCancellationRequested && pending.TryDequeue(out var e))
                    {
                        Interlocked.Increment(ref deliveries);
                        try
                        {
                            using var answer = await server.Http.PostAsync(e.Path, e.Content(), stop.Token);
                            if (answer.IsSuccessStatusCode) acknowledged[e.RequestId] = 0;
                            else Assert.True((int)answer.StatusCode == 503,
                                $"{e.RequestId} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                        {
                            // The server died under this request: not acknowledged, sent again next round.
                        }
                        if (crash && acknowledged.Count >= killAt && !stop.IsCancellationRequested)
                        {
                            await server.KillAsync();
                            await stop.CancelAsync();
                        }
                    }
                }

                await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(Sender)));
                if (crash)
                {
                    Assert.True(server.HasExited, $"round {round}: the load ended before the kill");
                    Assert.False(pending.IsEmpty, $"round {round}: the kill came after the last event");
                }
            }
            finally
            {
                await server.DisposeAsync();
            }
        }

        Assert.Equal(events.Count, acknowledged.Count);
        Assert.True(deliveries >= events.Count);
        var stored = SignedEvents.StoredRequestIds(folder.Database);
        Assert.Equal(events.Count, stored.Count);
        Assert.All(events, e => Assert.Equal(1, stored.GetValueOrDefault(e.RequestId)));
        Assert.Equal("ok", SignedEvents.IntegrityCheck(folder.Database));
    }
}
