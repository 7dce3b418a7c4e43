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
        return api;
    }

    private static async Task<Results<Created<RequestRegistration>, ProblemHttpResult>> Register(
        RequestRegistration? registration, DashboardWriter writer, CancellationToken cancellationToken)
    {
        if (registration is null) return DashboardApi.BadRequest("The body must be { requestId, accountId, action }.");
        var errors = registration.Validate();
        if (errors.Count > 0) return DashboardApi.BadRequest(string.Join(" ", errors));
        try
        {
            await writer.ExecuteAsync<object?>(new RegisterRequest(registration), cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not registered");
        }
        return TypedResults.Created($"{DashboardApi.Prefix}/requests/{Uri.EscapeDataString(registration.RequestId!)}", registration);
    }
}
