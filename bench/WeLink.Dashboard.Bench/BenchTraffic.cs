using System.Text;
using WeLink.Emulator.Traffic;

namespace WeLink.Dashboard.Bench;

/// <summary>One signed delivery: where it is posted (the query after the route) and its exact bytes.</summary>
public sealed record BenchEvent(string PathAndQuery, byte[] Body, string RequestId, string EventType, string? AccountId, string? EventHint);

/// <summary>
/// A fleet's worth of We-Link traffic from the emulator's own generator (the traffic <c>emulator send</c>
/// posts: documented shapes in realistic proportions, PIN round trips, every error form, undocumented
/// shapes, both request-id spellings), as an endless stream of unique signed deliveries. Redeliveries
/// are left out: the bench measures first deliveries.
/// </summary>
public sealed class BenchTraffic(int seed, string secret, string runId, int accounts = 200)
{
    // The generator makes a whole run at once; chunks keep a million-event seed from holding every body in memory.
    private const int Chunk = 10_000;
    private static readonly Uri Target = new("http://127.0.0.1/webhooks/welink");

    /// <summary>The id of the <paramref name="number"/>-th account (1-based), as the generator names it.</summary>
    public static string AccountName(int number) => FleetAccount.Create(number).AccountId;

    public IEnumerable<BenchEvent> Events()
    {
        for (var chunk = 0; ; chunk++)
        {
            var generator = new TrafficGenerator(new SendOptions
            {
                Target = Target,
                Secret = secret,
                Count = Chunk,
                Accounts = accounts,
                RedeliveryRatio = 0,
                Seed = unchecked(seed * 31 + chunk),
                RunId = $"{runId}-{chunk}",
            });
            foreach (var e in generator.Generate()) yield return ToBenchEvent(e);
        }
    }

    private static BenchEvent ToBenchEvent(GeneratedEvent e)
    {
        // The bench posts to fixed routes (the webhook and the no-op), so the event-in-path form goes as its query twin.
        var form = e.UrlForm == WebhookUrlForm.EventPath ? WebhookUrlForm.EventQuery : e.UrlForm;
        var accountHint = form == WebhookUrlForm.Bare ? null : e.AccountId;
        var eventHint = form == WebhookUrlForm.EventQuery ? e.EventType : null;
        var query = WebhookUrls.Build(Target, form, eventHint, accountHint).Query;
        return new BenchEvent(query, Encoding.UTF8.GetBytes(e.Body), e.RequestId, e.EventType, accountHint, eventHint);
    }
}
