using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts");
        accounts.MapGet("", List).WithName("ListAccounts")
            .WithSummary("Accounts with login state and health flags, what needs a person first; filters loginState, health (a flag or Healthy), search.");
        accounts.MapGet("/{accountId}", Get).WithName("GetAccount").WithSummary("One account with state history, errors, connections and PIN submissions.");
        accounts.MapPost("/sync", Sync).WithName("SyncAccounts").WithSummary("Fetch We-Link's account list now.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        accounts.MapPost("/check", CheckFleet).WithName("CheckAccountSessions")
            .WithSummary("Check the live session (/me) of every Connected and SessionExpired account now, paced; answers how many were queued.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        accounts.MapPost("/{accountId}/check", Check).WithName("CheckAccountSession")
            .WithSummary("Check one account's live session (/me) now; answers the outcome and the account.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<AccountRow>>, ProblemHttpResult>> List(
        AccountQueries queries, string? search, string? loginState, string? state, string? health, CancellationToken cancellationToken)
    {
        LoginState? wanted = null;
        // `state` is the deprecated name of `loginState`; the new one wins when both are given.
        var stateText = string.IsNullOrWhiteSpace(loginState) ? state : loginState;
        if (!string.IsNullOrWhiteSpace(stateText))
        {
            wanted = AccountStateView.Parse(stateText);
            if (wanted is null)
                return DashboardApi.BadRequest("loginState must be one of: " + string.Join(", ", AccountStates.All) + ".");
        }
        HealthFilter? healthFilter = null;
        if (!string.IsNullOrWhiteSpace(health))
        {
            healthFilter = AccountStateView.ParseHealth(health);
            if (healthFilter is null)
                return DashboardApi.BadRequest("health must be one of: " + string.Join(", ", AccountStates.AllFlags) + ", " + HealthFilter.HealthyName + ".");
        }
        return TypedResults.Ok(await queries.ListAsync(search, wanted, healthFilter, cancellationToken));
    }

    private static async Task<Results<Ok<AccountDetail>, NotFound>> Get(AccountQueries queries, string accountId, CancellationToken cancellationToken) =>
        await queries.GetAsync(accountId, cancellationToken) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<Results<Ok<AccountSyncResult>, ProblemHttpResult>> Sync(AccountSync sync, CancellationToken cancellationToken)
    {
        var result = await sync.SyncNowAsync(cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(result)
            : TypedResults.Problem(detail: result.Message, statusCode: StatusCodes.Status502BadGateway, title: "Account sync failed");
    }

    private static async Task<Results<Ok<SessionCheckResult>, NotFound, ProblemHttpResult>> Check(
        SessionHeartbeat heartbeat, string accountId, CancellationToken cancellationToken)
    {
        var result = await heartbeat.CheckNowAsync(accountId, cancellationToken);
        return result.Outcome switch
        {
            SessionCheckOutcome.UnknownAccount => TypedResults.NotFound(),
            SessionCheckOutcome.NotConfigured => TypedResults.Problem(detail: result.Detail, statusCode: StatusCodes.Status409Conflict, title: "Session check unavailable"),
            // An inconclusive answer is still an answer: the account and the reason travel with it.
            _ => TypedResults.Ok(result),
        };
    }

    private static async Task<Results<Accepted<FleetCheckResult>, ProblemHttpResult>> CheckFleet(SessionHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        if (!heartbeat.IsConfigured)
            return TypedResults.Problem(detail: "We-Link API credentials are not configured.", statusCode: StatusCodes.Status409Conflict, title: "Session check unavailable");
        return TypedResults.Accepted((string?)null, await heartbeat.CheckFleetAsync(cancellationToken));
    }
}
