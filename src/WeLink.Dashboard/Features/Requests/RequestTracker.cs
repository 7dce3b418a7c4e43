using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Features.WeLinkApi;
using WeLink.Dashboard.Hosting;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>
/// Follows tracked requests with no outcome: ages them (Overdue after <c>Gateway:OverdueAfter</c>,
/// Lost after <c>Gateway:GiveUpAfter</c>) and asks We-Link's <c>get_response</c> for the overdue and
/// missing ones, never more than <c>Gateway:PollsPerMinute</c> in any minute. These calls go straight
/// to We-Link, not through the gateway, so they never count on an account's budget.
/// </summary>
public sealed class RequestTracker(
    DashboardWriter writer,
    JobLeases leases,
    IDbContextFactory<DashboardDbContext> contexts,
    WeLinkApiClient weLink,
    IOptions<GatewayOptions> gateway,
    IOptions<WeLinkOptions> weLinkOptions,
    TimeProvider time,
    ILogger<RequestTracker> logger) : BackgroundService
{
    /// <summary>How often the tracker looks; short enough for tests that shorten OverdueAfter to a second.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SlidingWindowLimit _polls = new(gateway.Value.PollsPerMinute, TimeSpan.FromMinutes(1));

    /// <summary>Answers that say We-Link has nothing yet for the request.</summary>
    private static readonly string[] PendingStatuses = ["PENDING", "PROCESSING", "IN_PROGRESS", "QUEUED"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // One instance ages and polls (its lease): get_response calls count on one budget.
                    if (await leases.TryHoldAsync(JobNames.RequestTracking, stoppingToken)) await TickAsync(stoppingToken);
                }
                catch (DatabaseUnavailableException ex)
                {
                    logger.LogDebug("Request tracking skipped: {Error}", ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One bad tick (an answer that cannot be stored, a failed write) must not stop the host:
                    // the requests stay due and the next tick asks again.
                    logger.LogError(ex, "Request tracking tick failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var options = gateway.Value;
        // A read first: the writer (and with it ingest, or a database that is locked) is only
        // troubled when a request is due to age or to be asked for, not four times a second.
        var (age, poll) = await WorkDueAsync(options, cancellationToken);
        if (age) await writer.ExecuteAsync(new AgeTrackedRequests(options.OverdueAfter, options.GiveUpAfter), cancellationToken);
        if (!weLink.IsConfigured || !(poll || age)) return;
        var room = _polls.Available(time.GetUtcNow());
        if (room == 0) return;
        foreach (var requestId in await writer.ExecuteAsync(new DueRequests(room), cancellationToken))
        {
            if (!_polls.TryTake(time.GetUtcNow())) return;
            await PollAsync(requestId, options.OverdueAfter, cancellationToken);
        }
    }

    /// <summary>
    /// Whether any tracked request is due to turn Overdue or Lost, and whether any overdue or missing
    /// one is due to be asked for: the same conditions <see cref="AgeTrackedRequests"/> and
    /// <see cref="DueRequests"/> write by, read over the (State, NextPollAt) index.
    /// </summary>
    private async Task<(bool Age, bool Poll)> WorkDueAsync(GatewayOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await RequestSql.AnyDueAsync(db.Database.GetDbConnection(), now, (long)options.OverdueAfter.TotalMilliseconds,
            now - (long)options.GiveUpAfter.TotalMilliseconds, cancellationToken);
    }

    private async Task PollAsync(string requestId, TimeSpan backoff, CancellationToken cancellationToken)
    {
        byte[]? answer;
        try
        {
            answer = await weLink.GetResponseAsync(requestId, cancellationToken);
        }
        catch (WeLinkApiException ex)
        {
            // No answer or a failure: says nothing about the request; it keeps its state and is asked again.
            logger.LogInformation("get_response for request {RequestId} failed ({Error}); asking again later", requestId, ex.Message);
            await writer.ExecuteAsync(new RecordRequestPoll(requestId, missing: false, backoff), cancellationToken);
            return;
        }

        var body = answer is null ? null : ResultOf(answer, requestId);
        if (body is null)
        {
            await writer.ExecuteAsync(new RecordRequestPoll(requestId, missing: true, backoff), cancellationToken);
            return;
        }
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var request = new IngestRequest(body, CanonicalJson.ContentDigest(root), WebhookEnvelope.Read(root), WebhookHints.None, SignatureOutcome.Fetched);
        var outcome = await writer.ExecuteAsync(new StoreFetchedResult(requestId, request, weLinkOptions.Value.PinTimeout), cancellationToken);
        logger.LogInformation("Recovered the outcome of request {RequestId} with get_response as event {EventId} ({EventType})",
            requestId, outcome.EventId, outcome.EventType);
    }

    /// <summary>
    /// The answer as an event body when it holds a result: a JSON object with a status that is not a
    /// "still working" one. An answer that does not name its request gets the id it was asked for, so
    /// it attributes like the webhook would have; anything else is stored byte for byte.
    /// </summary>
    internal static byte[]? ResultOf(byte[] answer, string requestId)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(answer);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject result || result.Count == 0) return null;
        if (result["status"] is JsonValue status && status.TryGetValue<string>(out var text) && PendingStatuses.Contains(text.Trim().ToUpperInvariant()))
            return null;
        if (result.ContainsKey("request_id") || result.ContainsKey("requestId") || result.ContainsKey("requestID")) return answer;
        result["request_id"] = requestId;
        return System.Text.Encoding.UTF8.GetBytes(result.ToJsonString());
    }
}

/// <summary>At most <c>limit</c> takes in any window of the given length (a log of the takes in the last window).</summary>
public sealed class SlidingWindowLimit(int limit, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _taken = new();
    private readonly Lock _gate = new();

    public int Available(DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            return limit - _taken.Count;
        }
    }

    public bool TryTake(DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            if (_taken.Count >= limit) return false;
            _taken.Enqueue(now);
            return true;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_taken.Count > 0 && now - _taken.Peek() >= window) _taken.Dequeue();
    }
}
