using System.Collections.Concurrent;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;

namespace WeLink.Dashboard.ReliabilityTests;

public sealed class LoadTests
{
    [Fact]
    public async Task Ingest_20000EventsFrom64SendersWith5PercentRedeliveries_EachStoredExactlyOnceAndNo5xx()
    {
        using var folder = new TestFolder();
        var events = SignedEvents.Make(20_000, "load");
        var statuses = new ConcurrentDictionary<int, int>();
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var redelivered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var next = -1;

        await using (var server = await ChildDashboard.StartAsync(folder.Database, folder.Logs))
        {
            async Task Sender(int sender)
            {
                var rng = new Random(sender);
                var mine = new List<SignedEvent>();
                while (true)
                {
                    // One delivery in twenty is a redelivery of an event this sender already had acknowledged.
                    SignedEvent e;
                    if (mine.Count > 0 && rng.Next(20) == 0)
                    {
                        e = mine[rng.Next(mine.Count)];
                        redelivered.AddOrUpdate(e.RequestId, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        var index = Interlocked.Increment(ref next);
                        if (index >= events.Count) return;
                        e = events[index];
                    }
                    using var answer = await server.Http.PostAsync(e.Path, e.Content());
                    statuses.AddOrUpdate((int)answer.StatusCode, 1, (_, n) => n + 1);
                    if (answer.IsSuccessStatusCode)
                    {
                        acknowledged[e.RequestId] = 0;
                        mine.Add(e);
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 64).Select(s => Task.Run(() => Sender(s))));
        }

        Assert.DoesNotContain(statuses.Keys, status => status >= 500);
        Assert.Equal([200], statuses.Keys.Order());
        Assert.InRange(redelivered.Values.Sum(), 600, 1_400);
        var stored = SignedEvents.StoredRequestIds(folder.Database);
        Assert.Equal(events.Count, acknowledged.Count);
        Assert.Equal(events.Count, stored.Count);
        Assert.All(acknowledged.Keys, id => Assert.Equal(1, stored.GetValueOrDefault(id)));
        // Every redelivery counted on its one row, none stored again.
        Assert.Equal(events.Count + redelivered.Values.Sum(), SignedEvents.Scalar<long>(folder.Database, "SELECT SUM(DeliveryCount) FROM Events"));
    }
}
