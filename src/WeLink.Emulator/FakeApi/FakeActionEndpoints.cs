using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Emulator.FakeApi;

/// <summary>An outcome the fake API produced for an action, with the event type it stands for (what a test checks attribution against).</summary>
public sealed record ActionOutcome(string RequestId, string Action, string AccountId, string ExpectedType, bool DeliveredBeforeAnswer);

/// <summary>A call that reached the fake API: its path and what of the caller's headers came with it.</summary>
public sealed record ReceivedCall(string Path, IReadOnlyList<string> HeaderNames, string? Authorization, string? Cookie, string Body)
{
    /// <summary>When it arrived (a test counts calls per minute from it).</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>What reached the fake API and what it answered; a test's window on "We-Link".</summary>
public sealed class FakeApiLog
{
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private readonly ConcurrentDictionary<string, ActionOutcome> _outcomes = new(StringComparer.Ordinal);

    public IReadOnlyList<ReceivedCall> Calls => _calls.ToArray();
    public IReadOnlyCollection<ActionOutcome> Outcomes => _outcomes.Values.ToArray();

    private readonly ConcurrentDictionary<string, byte> _dropped = new(StringComparer.Ordinal);

    /// <summary>Requests whose outcome webhook was dropped (never posted; only get_response has it).</summary>
    public IReadOnlyCollection<string> DroppedWebhooks => _dropped.Keys.ToArray();

    internal void RecordDropped(string requestId) => _dropped[requestId] = 0;

    internal void Record(ReceivedCall call) => _calls.Enqueue(call);
    internal void Record(ActionOutcome outcome) => _outcomes[outcome.RequestId] = outcome;
}

/// <summary>
/// The catalogue's asynchronous actions (connect, messaging, profile, search, message sync): each
/// answers at once with a request id (spelled <c>requestId</c>, <c>requestID</c> or <c>request_id</c>,
/// as We-Link's pages vary) and posts its outcome as a webhook after a delay, or, for a share of
/// calls, before it answers (We-Link can be faster than its own answer). Outcome bodies carry no
/// account and no type, as We-Link's do; several look like another family's (a profile's data has a
/// first name and a public identifier), so only knowing the request types them right.
/// </summary>
internal static class FakeActionEndpoints
{
    private static readonly string[] RequestIdSpellings = ["requestId", "requestID", "request_id"];
    private static int _calls;

    public static void MapFakeActions(this RouteGroupBuilder api)
    {
        foreach (var (action, family) in ActionCatalogue.DefaultFamilies)
        {
            if (family == RequestActions.Login) continue; // login_v2 has its own PIN flow
            api.MapPost("/" + action, (HttpRequest request, FakeWeLinkState state, OutcomeWebhooks webhooks, FakeApiLog log, FakeWeLinkOptions options) =>
                ActAsync(action, family, request, state, webhooks, log, options));
        }
    }

    private static async Task<IResult> ActAsync(string action, string family, HttpRequest request, FakeWeLinkState state, OutcomeWebhooks webhooks,
        FakeApiLog log, FakeWeLinkOptions options)
    {
        string? accountId = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String)
                accountId = a.GetString();
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest(new { message = "Body must be a JSON object" });
        }
        if (string.IsNullOrWhiteSpace(accountId)) return TypedResults.BadRequest(new { message = "accountId is required and must be a non-empty string" });
        var account = state.FindAccount(accountId);
        if (account is null) return TypedResults.NotFound(new { message = "Account not found" });

        if (state.ActionStall is { } stall)
        {
            try
            {
                await Task.Delay(stall, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up: nothing is carried out.
                return TypedResults.StatusCode(StatusCodes.Status499ClientClosedRequest);
            }
        }
        var n = Interlocked.Increment(ref _calls);
        var requestId = Guid.NewGuid().ToString();
        var (body, expected) = Outcome(family, requestId, account, Random.Shared);
        var early = Random.Shared.NextDouble() < options.EarlyWebhookRatio;
        log.Record(new ActionOutcome(requestId, action, account.AccountId, expected, early));
        if (early) await webhooks.DeliverNowAsync(account, requestId, body);
        else webhooks.Schedule(account, requestId, body);
        return TypedResults.Ok(new Dictionary<string, string> { ["status"] = "SUCCESS", [RequestIdSpellings[n % RequestIdSpellings.Length]] = requestId });
    }

    private static string Pick(Random random, params string[] codes) => codes[random.Next(codes.Length)];

    /// <summary>A realistic outcome body for the family, and the event type it is.</summary>
    private static (JsonObject Body, string ExpectedType) Outcome(string family, string requestId, FleetAccount account, Random random)
    {
        var failed = random.NextDouble() < 0.2;
        var body = new JsonObject { ["status"] = "SUCCESS", ["request_id"] = requestId };
        string type;
        switch (family)
        {
            case RequestActions.Connect:
                type = failed ? EventTypes.ConnectionFailed : EventTypes.ConnectionSent;
                if (failed) (body["status"], body["error"]) = ("FAILED", Pick(random, ErrorCodes.ProxyError, ErrorCodes.ProfileNotFound, ErrorCodes.RateLimited, ErrorCodes.AccountRestricted));
                else body["result"] = new JsonObject { ["connected"] = true, ["profile_id"] = "p-" + random.Next(1000, 9999) };
                break;
            case RequestActions.Message:
                type = failed ? EventTypes.MessageFailed : EventTypes.MessageSent;
                if (failed) body["status"] = Pick(random, ErrorCodes.RateLimited, ErrorCodes.ProxyError);
                else body["result"] = new JsonObject { ["message_id"] = "m-" + random.Next(1000, 9999) };
                break;
            case RequestActions.MessageSync:
                type = EventTypes.MessageReply;
                body["result"] = new JsonObject { ["thread_id"] = "t-" + random.Next(1000, 9999), ["replied"] = true };
                break;
            case RequestActions.ViewProfile:
                type = EventTypes.ProfileViewed;
                if (failed) body["status"] = ErrorCodes.ProfileNotFound;
                else body["result"] = new JsonObject { ["viewed"] = true };
                break;
            case RequestActions.ScrapeProfile:
                type = EventTypes.ProfileData;
                // Shaped like a login's result: only the known request types it right.
                body["result"] = new JsonObject { ["first_name"] = "Lead", ["last_name"] = "Person", ["public_identifier"] = "lead-" + random.Next(1000, 9999) };
                break;
            default:
                type = EventTypes.SearchCompleted;
                body["result"] = new JsonObject { ["total"] = random.Next(0, 500) };
                break;
        }
        return (body, type);
    }
}
