using WeLink.Webhooks;

namespace WeLink.Emulator.Traffic;

/// <summary>
/// Generates a run of realistic We-Link webhook posts for a fleet of accounts: login flows with
/// and without PIN, connections, messages, profile views and data, searches, every documented
/// error code in each of its forms, undocumented codes and shapes, and byte-identical
/// redeliveries. The same options (with <see cref="SendOptions.RunId"/> set) give the same run.
/// </summary>
public sealed class TrafficGenerator
{
    private enum Flow
    {
        LoginWithPin, LoginSuccess, LoginFailed, ConnectionSent, ConnectionFailed, MessageSent,
        MessageFailed, MessageReply, ProfileViewed, ProfileData, SearchCompleted, Mystery,
    }

    private sealed record Plan(Flow Flow, string? Code = null, ErrorForm? Form = null);

    private sealed record FollowUp(int DueAt, EventDraft Draft, FleetAccount Account, WebhookUrlForm Form, int After);

    /// <summary>Codes We-Link has not documented but a receiver will meet.</summary>
    public static readonly IReadOnlyList<string> UndocumentedCodes = ["SESSION_EXPIRED", "INVITATION_LIMIT_REACHED", "NOT_CONNECTED"];

    private static readonly (Flow Flow, int Weight)[] Weights =
    [
        (Flow.LoginWithPin, 10), (Flow.LoginSuccess, 5), (Flow.LoginFailed, 5), (Flow.ConnectionSent, 18),
        (Flow.ConnectionFailed, 8), (Flow.MessageSent, 14), (Flow.MessageFailed, 6), (Flow.MessageReply, 8),
        (Flow.ProfileViewed, 10), (Flow.ProfileData, 6), (Flow.SearchCompleted, 5), (Flow.Mystery, 4),
    ];

    private static readonly Dictionary<string, Flow[]> FailureFlowsByCode = new()
    {
        [ErrorCodes.WrongPassword] = [Flow.LoginFailed],
        [ErrorCodes.ProxyError] = [Flow.LoginFailed, Flow.ConnectionFailed, Flow.MessageFailed],
        [ErrorCodes.AccountRestricted] = [Flow.LoginFailed, Flow.ConnectionFailed, Flow.MessageFailed],
        [ErrorCodes.RateLimited] = [Flow.ConnectionFailed, Flow.MessageFailed, Flow.LoginFailed],
        [ErrorCodes.ProfileNotFound] = [Flow.ConnectionFailed, Flow.MessageFailed],
        [ErrorCodes.RecruiterAcknowledgementRequired] = [Flow.LoginFailed, Flow.MessageFailed],
        ["SESSION_EXPIRED"] = [Flow.LoginFailed, Flow.MessageFailed],
        ["INVITATION_LIMIT_REACHED"] = [Flow.ConnectionFailed],
        ["NOT_CONNECTED"] = [Flow.MessageFailed],
    };

    private readonly SendOptions _options;
    private readonly IReadOnlyList<FleetAccount> _fleet;
    private readonly string _runId;

    public TrafficGenerator(SendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _fleet = FleetAccount.CreateFleet(options.Accounts);
        _runId = options.RunId ?? Guid.NewGuid().ToString("N")[..8];
    }

    public IReadOnlyList<FleetAccount> Fleet => _fleet;

    /// <summary>All posts of the run in sending order.</summary>
    public IReadOnlyList<GeneratedEvent> Generate()
    {
        var rng = new Random(_options.Seed);
        var drafts = new EventDrafts(rng, _runId);
        var script = new Queue<Plan>(CoverageScript());
        var pending = new List<FollowUp>();
        var events = new List<GeneratedEvent>(_options.Count + (int)(_options.Count * _options.RedeliveryRatio) + 8);
        var originals = new List<int>(_options.Count);

        GeneratedEvent Emit(EventDraft draft, FleetAccount account, WebhookUrlForm form, int? after)
        {
            var url = WebhookUrls.Build(_options.Target, form, draft.EventType, account.AccountId);
            var body = WebhookBodies.Serialize(draft.Body, _options.Secret);
            var e = new GeneratedEvent(events.Count, url, body, draft.EventType, draft.ErrorCode, account.AccountId, draft.RequestId, form, after);
            events.Add(e);
            originals.Add(e.Sequence);
            return e;
        }

        for (var unique = 0; unique < _options.Count; unique++)
        {
            var remaining = _options.Count - unique;
            var due = pending.FindIndex(p => p.DueAt <= unique);
            if (due < 0 && pending.Count >= remaining) due = 0;
            if (due >= 0)
            {
                var f = pending[due];
                pending.RemoveAt(due);
                Emit(f.Draft, f.Account, f.Form, f.After);
            }
            else
            {
                var plan = script.Count > 0 && rng.Next(2) == 0 ? script.Dequeue() : RandomPlan(rng);
                if (plan.Flow == Flow.LoginWithPin && remaining < pending.Count + 2) plan = new Plan(Flow.ConnectionSent);
                var account = _fleet[rng.Next(_fleet.Count)];
                var requestId = drafts.NewRequestId();
                var camel = rng.Next(5) == 0;
                var form = ChooseForm(rng, plan.Flow == Flow.Mystery);
                var first = Emit(Draft(plan, drafts, rng, requestId, camel, account), account, form, after: null);
                if (plan.Flow == Flow.LoginWithPin)
                {
                    // The outcome arrives later with the same request id, usually on the bare URL:
                    // the receiver has to correlate it with the PIN request.
                    var outcome = rng.Next(10) < 7
                        ? drafts.Success(EventTypes.LoginSuccess, requestId, camel, account)
                        : drafts.Failure(EventTypes.LoginFailed, rng.Next(3) > 0 ? ErrorCodes.WrongPassword : LoginCode(rng), (ErrorForm)rng.Next(4), requestId, camel);
                    var outcomeForm = rng.Next(4) == 0 ? form : WebhookUrlForm.Bare;
                    pending.Add(new FollowUp(unique + rng.Next(1, 40), outcome, account, outcomeForm, first.Sequence));
                }
            }

            if (rng.NextDouble() < _options.RedeliveryRatio)
            {
                var recent = Math.Min(originals.Count, 100);
                var original = events[originals[originals.Count - 1 - rng.Next(recent)]];
                events.Add(original with { Sequence = events.Count, After = original.Sequence, RedeliveryOf = original.Sequence });
            }
        }
        return events;
    }

    private static EventDraft Draft(Plan plan, EventDrafts drafts, Random rng, string requestId, bool camel, FleetAccount account)
    {
        string FailureCode(Flow flow) => plan.Code ?? RandomCode(rng, flow);
        ErrorForm Form() => plan.Form ?? (ErrorForm)rng.Next(4);
        return plan.Flow switch
        {
            Flow.LoginWithPin => drafts.PinRequired(requestId, camel),
            Flow.LoginSuccess => drafts.Success(EventTypes.LoginSuccess, requestId, camel, account),
            Flow.LoginFailed => drafts.Failure(EventTypes.LoginFailed, FailureCode(Flow.LoginFailed), Form(), requestId, camel),
            Flow.ConnectionSent => drafts.Success(EventTypes.ConnectionSent, requestId, camel, account),
            Flow.ConnectionFailed => drafts.Failure(EventTypes.ConnectionFailed, FailureCode(Flow.ConnectionFailed), Form(), requestId, camel),
            Flow.MessageSent => drafts.Success(EventTypes.MessageSent, requestId, camel, account),
            Flow.MessageFailed => drafts.Failure(EventTypes.MessageFailed, FailureCode(Flow.MessageFailed), Form(), requestId, camel),
            Flow.MessageReply => drafts.Success(EventTypes.MessageReply, requestId, camel, account),
            Flow.ProfileViewed => drafts.Success(EventTypes.ProfileViewed, requestId, camel, account),
            Flow.ProfileData => drafts.Success(EventTypes.ProfileData, requestId, camel, account),
            Flow.SearchCompleted => drafts.Success(EventTypes.SearchCompleted, requestId, camel, account),
            _ => drafts.Mystery(requestId, camel),
        };
    }

    /// <summary>Every flow once, then every code in every form, so even short runs cover the catalogue.</summary>
    private static IEnumerable<Plan> CoverageScript()
    {
        foreach (var flow in Enum.GetValues<Flow>()) yield return new Plan(flow);
        var index = 0;
        foreach (var (code, flows) in FailureFlowsByCode)
        {
            foreach (var form in Enum.GetValues<ErrorForm>())
                yield return new Plan(flows[index++ % flows.Length], code, form);
        }
    }

    private static Plan RandomPlan(Random rng)
    {
        var roll = rng.Next(Weights.Sum(w => w.Weight));
        foreach (var (flow, weight) in Weights)
        {
            if (roll < weight) return new Plan(flow);
            roll -= weight;
        }
        return new Plan(Flow.ConnectionSent);
    }

    private static string RandomCode(Random rng, Flow flow)
    {
        var candidates = FailureFlowsByCode.Where(c => c.Value.Contains(flow)).Select(c => c.Key).ToArray();
        var documented = candidates.Where(ErrorCodes.Documented.ContainsKey).ToArray();
        var undocumented = candidates.Except(documented).ToArray();
        return undocumented.Length > 0 && rng.Next(10) == 0
            ? undocumented[rng.Next(undocumented.Length)]
            : documented[rng.Next(documented.Length)];
    }

    private static string LoginCode(Random rng) => RandomCode(rng, Flow.LoginFailed);

    private static WebhookUrlForm ChooseForm(Random rng, bool typeUnknown)
    {
        var roll = rng.Next(100);
        if (typeUnknown) return roll < 70 ? WebhookUrlForm.AccountQuery : WebhookUrlForm.Bare;
        return roll switch
        {
            < 40 => WebhookUrlForm.AccountQuery,
            < 60 => WebhookUrlForm.EventPath,
            < 80 => WebhookUrlForm.EventQuery,
            _ => WebhookUrlForm.Bare,
        };
    }
}
