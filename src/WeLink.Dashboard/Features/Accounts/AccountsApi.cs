using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts");
        accounts.MapGet("", List).WithName("ListAccounts").WithSummary("Accounts with login state, last event and pending PIN.");
        accounts.MapGet("/{accountId}", Get).WithName("GetAccount").WithSummary("One account with state history, errors, connections and PIN submissions.");
        accounts.MapPost("/sync", Sync).WithName("SyncAccounts").WithSummary("Fetch We-Link's account list now.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<AccountRow>>, ProblemHttpResult>> List(
        AccountQueries queries, string? search, string? state, CancellationToken cancellationToken)
    {
        LoginState? wanted = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (!Enum.TryParse<LoginState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return DashboardApi.BadRequest("state must be one of: " + string.Join(", ", AccountStates.All) + ".");
            wanted = parsed;
        }
        return TypedResults.Ok(await queries.ListAsync(search, wanted, cancellationToken));
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
}
