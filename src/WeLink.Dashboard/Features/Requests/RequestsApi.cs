using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Requests;

public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/requests", Register).WithName("RegisterRequest")
            .WithSummary("Tell the dashboard about a request made elsewhere, so its webhooks are attributed and typed.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        api.MapGet("/requests", List).WithName("ListRequests")
            .WithSummary("Tracked requests newest first (gateway calls and registrations), filtered, with cursor paging.");
        return api;
    }

    /// <summary>The caller as the gateway records it (a token by its name, an operator by theirs), so one caller filter finds both.</summary>
    private static string CallerName(System.Security.Claims.ClaimsPrincipal user)
    {
        var name = DashboardApi.ActorName(user);
        return name.StartsWith("token:", StringComparison.Ordinal) ? name["token:".Length..] : name;
    }

    public sealed record RequestListResponse(IReadOnlyList<RequestRow> Items, string? NextCursor);

    private static async Task<Results<Ok<RequestListResponse>, ProblemHttpResult>> List(RequestQueries queries, string? account, string? action,
        string? state, string? caller, DateTimeOffset? since, DateTimeOffset? until, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > RequestQueries.MaxLimit) return DashboardApi.BadRequest($"limit must be between 1 and {RequestQueries.MaxLimit}.");
        if (!RequestQueries.IsValidCursor(cursor)) return DashboardApi.BadRequest("cursor is not one this API gave out.");
        RequestState? parsed = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (!Enum.TryParse<RequestState>(state.Trim(), ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(state, out _))
                return DashboardApi.BadRequest("state must be one of: " + string.Join(", ", Enum.GetNames<RequestState>()) + ".");
            parsed = s;
        }
        var page = await queries.ListAsync(new RequestFilter(account, action, parsed, caller, since, until), limit ?? 50, cursor, cancellationToken);
        return TypedResults.Ok(new RequestListResponse(page.Items, page.NextCursor));
    }

    private static async Task<Results<Created<RequestRegistration>, ProblemHttpResult>> Register(
        RequestRegistration? registration, DashboardWriter writer, System.Security.Claims.ClaimsPrincipal user,
        Microsoft.Extensions.Options.IOptions<Gateway.GatewayOptions> gateway, ILogger<RegisterRequest> logger, CancellationToken cancellationToken)
    {
        if (registration is null) return DashboardApi.BadRequest("The body must be { requestId, accountId, action }.");
        var errors = registration.Validate();
        if (errors.Count > 0) return DashboardApi.BadRequest(string.Join(" ", errors));
        RegistrationResult result;
        try
        {
            result = await writer.ExecuteAsync<RegistrationResult>(new RegisterRequest(registration, tracking: new RequestTracking(CallerName(user), gateway.Value.OverdueAfter)), cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not registered");
        }
        var accountId = registration.AccountId!.Trim();
        if (result.Conflicts(accountId))
        {
            // Two authenticated sources disagree: the first stands, and the caller is told.
            logger.LogWarning("Request {RequestId} was registered for account {Account} but is already known for account {Known}; the first stands",
                registration.RequestId, accountId, result.KnownAccountId);
            return TypedResults.Problem(detail: $"The request is already known for account {result.KnownAccountId}; that attribution stands.",
                statusCode: StatusCodes.Status409Conflict, title: "Request known for another account");
        }
        return TypedResults.Created($"{DashboardApi.Prefix}/requests/{Uri.EscapeDataString(registration.RequestId!)}", registration);
    }
}
