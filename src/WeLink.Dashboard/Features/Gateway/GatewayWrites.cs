using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Requests;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>How a call's start was recorded: its id, or the 429 the spent budget answers (with the seconds until it frees up).</summary>
public sealed record GatewayCallAdmission(long CallId, int? RetryAfterSeconds);

/// <summary>
/// Records a call before anything is forwarded (a database that cannot record it refuses it), and
/// with enforcement on, refuses it when its account's budget for the rolling hour is spent.
/// </summary>
public sealed class BeginGatewayCall(GatewayCallStart call, GatewayBudget budget, int limit, bool enforce) : WriteOperation<GatewayCallAdmission>
{
    public override GatewayCallAdmission Apply(WriteSession session)
    {
        if (enforce && budget != GatewayBudget.None && call.AccountId is { } accountId)
        {
            var use = session.BudgetUseOf(accountId, budget, call.At - BudgetQueries.WindowMs);
            if (use.Count >= limit)
            {
                var id = session.InsertGatewayCall(call, StatusCodes.Status429TooManyRequests);
                var freesAt = (use.OldestAt ?? call.At) + BudgetQueries.WindowMs;
                return new GatewayCallAdmission(id, (int)Math.Max(1, Math.Ceiling((freesAt - call.At) / 1000.0)));
            }
        }
        return new GatewayCallAdmission(session.InsertGatewayCall(call), null);
    }
}

/// <summary>What a forwarded call came back with.</summary>
public sealed record GatewayCallOutcome(long CallId, int Status, string? RequestId, long LatencyMs, GatewayBudget Budget,
    string? AccountId, string? Family, bool Tracked, string? Caller = null);

/// <summary>
/// Completes the call's record and registers its request (an authenticated source) so its webhooks,
/// those already stored included, are attributed and typed.
/// </summary>
public sealed class CompleteGatewayCall(GatewayCallOutcome outcome, TimeSpan pinTimeout, TimeSpan? overdueAfter = null) : WriteOperation<int>
{
    public override int Apply(WriteSession session)
    {
        session.CompleteGatewayCall(outcome.CallId, outcome.Status, outcome.RequestId, outcome.LatencyMs, outcome.Budget);
        if (!outcome.Tracked || outcome.RequestId is not { } requestId) return 0;
        if (outcome.AccountId is null && outcome.Family is null) return 0;
        // Only an action We-Link took (2xx) has an outcome to wait for.
        var tracking = outcome.Status is >= 200 and < 300 ? new RequestTracking(outcome.Caller, overdueAfter ?? GatewayOptions.DefaultOverdueAfter) : null;
        return new RegisterRequest(new RequestRegistration(requestId, outcome.AccountId, outcome.Family), pinTimeout, tracking).Apply(session).EventsAttributed;
    }
}

/// <summary>
/// Logins whose e-mail stood in for the account: each e-mail that now names an account gives its
/// calls, requests (and through them events and PIN requests) that account.
/// </summary>
public sealed class ResolvePendingEmails(TimeSpan pinTimeout) : WriteOperation<int>
{
    public override int Apply(WriteSession session)
    {
        var resolved = 0;
        foreach (var email in session.PendingEmails())
        {
            if (session.FindAccountByEmail(email) is not { } accountId) continue;
            foreach (var requestId in session.ResolvePendingEmail(email, accountId))
            {
                new RegisterRequest(new RequestRegistration(requestId, accountId, RequestActions.Login), pinTimeout).Apply(session);
                resolved++;
            }
        }
        return resolved;
    }
}
