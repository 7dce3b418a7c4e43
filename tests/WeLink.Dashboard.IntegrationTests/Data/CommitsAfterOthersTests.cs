using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Data;

/// <summary>
/// The search index's writes (<see cref="IndexNewEvents"/>) are taken by the writer with whatever webhooks are queued
/// beside them, but committed after them, in a transaction of their own: a webhook is never answered later because an
/// index write (up to 30 ms with its merge) shared its commit.
/// </summary>
[Trait("Provider", TestStore.SqliteOnly)]
public sealed class CommitsAfterOthersTests
{
    [Fact]
    public void IndexNewEvents_CommitsAfterOthers() => Assert.True(new IndexNewEvents(50).CommitsAfterOthers);

    [Fact]
    public async Task WebhookQueuedAfterAnIndexWrite_TakenInTheSameBatch_IsAnsweredBeforeTheIndexWriteEnds()
    {
        using var app = DashboardApp.StartInTempDirectory();
        var writer = app.Services.GetRequiredService<DashboardWriter>();
        using var writerHeld = new ManualResetEventSlim();
        using var releaseWriter = new ManualResetEventSlim();
        using var indexStarted = new ManualResetEventSlim();
        using var releaseIndex = new ManualResetEventSlim();
        try
        {
            // Hold the writer, queue the index write and then a webhook behind it: the writer takes both in one batch.
            var holding = writer.ExecuteAsync(new Hold(writerHeld, releaseWriter, afterOthers: false));
            Assert.True(writerHeld.Wait(TimeSpan.FromSeconds(20)), "the writer never took the first operation");
            var index = writer.ExecuteAsync(new Hold(indexStarted, releaseIndex, afterOthers: true));
            var webhook = writer.ExecuteAsync<IngestOutcome>(Event("after-others-1"));
            releaseWriter.Set();
            await holding;

            // Answered and stored while the index write is still running.
            var outcome = await webhook.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(outcome.Duplicate);
            Assert.True(outcome.EventId > 0);
            Assert.Equal(1L, app.Scalar<long>("SELECT COUNT(*) FROM Events WHERE RequestId = 'after-others-1'"));
            Assert.True(indexStarted.Wait(TimeSpan.FromSeconds(20)), "the index write never ran");
            Assert.False(index.IsCompleted);

            releaseIndex.Set();
            Assert.True(await index.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            releaseWriter.Set();
            releaseIndex.Set();
        }
    }

    private static StoreWebhookEvent Event(string requestId)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"status":"FAILED","request_id":"{{requestId}}","error":"PROXY_ERROR","message":"proxy down"}""");
        var root = JsonDocument.Parse(body).RootElement;
        return new StoreWebhookEvent(new IngestRequest(body, CanonicalJson.ContentDigest(root), WebhookEnvelope.Read(root),
            new WebhookHints(EventTypes.MessageFailed, "acc-1"), SignatureOutcome.VerifiedNode), TimeSpan.FromMinutes(10));
    }

    /// <summary>Says it started, then holds the writer's thread until released.</summary>
    private sealed class Hold(ManualResetEventSlim started, ManualResetEventSlim release, bool afterOthers) : WriteOperation<bool>
    {
        public override bool CommitsAfterOthers => afterOthers;

        public override bool Apply(WriteSession session)
        {
            started.Set();
            return release.Wait(TimeSpan.FromSeconds(60));
        }
    }
}
