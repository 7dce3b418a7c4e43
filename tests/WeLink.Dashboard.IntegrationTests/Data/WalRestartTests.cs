using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// Under writes that never pause, the checkpointer alone never reaches the end of the write-ahead log, and
/// SQLite starts the log over only once a checkpoint has: the writer finishes the checkpoint between two
/// batches, so the log is written from its start again instead of growing with everything written.
/// </summary>
// SQLite only: the write-ahead log is SQLite's.
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class WalRestartTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SteadyWrites_WithNoPause_LogStartsOverAgainAndAgain()
    {
        var writer = _app.Services.GetRequiredService<DashboardWriter>();
        var wal = _app.DatabasePath + "-wal";
        await writer.ExecuteAsync<IngestOutcome>(LargeEvent(0));
        var first = CheckpointSequence(wal);
        var written = 0L;
        var next = 0;
        // Four callers keep the writer's queue from ever running dry, as a steady stream of webhooks does, until the
        // log has started over twice (its header counts each start) or far more than the log's limit was written.
        async Task WriteAsync()
        {
            while (CheckpointSequence(wal) < first + 2 && Interlocked.Read(ref written) < 6 * WriteSession.WalSizeLimitBytes)
            {
                await writer.ExecuteAsync<IngestOutcome>(LargeEvent(Interlocked.Increment(ref next)));
                Interlocked.Add(ref written, Filler.Length);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(WriteAsync)));

        Assert.True(CheckpointSequence(wal) >= first + 2,
            $"the log started over {CheckpointSequence(wal) - first} times in {Interlocked.Read(ref written) / 1_048_576} MiB written");
        Assert.Equal(next + 1, _app.Scalar<long>("SELECT COUNT(*) FROM Events"));
    }

    /// <summary>The checkpoint sequence number in the log's header (big-endian, at byte 12): SQLite adds one each time the log starts over.</summary>
    private static uint CheckpointSequence(string wal)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        file.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    private static readonly string Filler = new('x', 20_000);

    private static StoreWebhookEvent LargeEvent(int i)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"status":"FAILED","request_id":"wal-{{i}}","error":"PROXY_ERROR","message":"{{Filler}}"}""");
        var root = JsonDocument.Parse(body).RootElement;
        return new StoreWebhookEvent(new IngestRequest(body, CanonicalJson.ContentDigest(root), WebhookEnvelope.Read(root),
            new WebhookHints(EventTypes.MessageFailed, "acc-1"), SignatureOutcome.VerifiedNode), TimeSpan.FromMinutes(10));
    }
}
