using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WeLink.Dashboard.Features.Pins;

public static class PinsApi
{
    public sealed record PinSubmission(string? Code, string? AccountId);

    public sealed record PinAccepted(string RequestId, string Message);

    public static RouteGroupBuilder MapPinsApi(this RouteGroupBuilder api)
    {
        var pins = api.MapGroup("/pins");
        pins.MapGet("", Pending).WithName("ListPendingPins").WithSummary("Pending PIN requests, oldest first.");
        pins.MapGet("/history", History).WithName("ListPinHistory").WithSummary("Resolved and expired PIN requests, newest first.");
        pins.MapPost("/{requestId}", Submit).WithName("SubmitPin")
            .WithSummary("Submit a PIN to We-Link's login_code; 202, or 400/404/409 with a reason.")
            .RequireAuthorization(Hosting.AuthorizationPolicies.Operator);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<PinRequestRow>>> Pending(PinQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.PendingAsync(cancellationToken));

    private static async Task<Ok<IReadOnlyList<PinRequestRow>>> History(PinQueries queries, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.HistoryAsync(limit ?? 100, cancellationToken));

    private static async Task<Results<Accepted<PinAccepted>, ProblemHttpResult>> Submit(
        string requestId, PinSubmission? body, PinSubmissionService service, PinSubmissionRateLimiter limiter, ClaimsPrincipal user,
        HttpContext http, CancellationToken cancellationToken)
    {
        // The caller's budget first (kept in the database, so it holds whichever instance answers).
        Limits.RateLimitDecision permit;
        try
        {
            permit = await limiter.TryAcquireAsync(user, cancellationToken);
        }
        catch (Data.DatabaseUnavailableException)
        {
            return TypedResults.Problem(detail: "The database is unavailable. Try again.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "PIN not submitted");
        }
        if (!permit.Allowed)
        {
            http.Response.Headers.RetryAfter = PinSubmissionRateLimiter.RetryAfterSeconds(permit.RetryAfter);
            return TypedResults.Problem(detail: PinSubmissionRateLimiter.RejectionMessage(permit.RetryAfter),
                statusCode: StatusCodes.Status429TooManyRequests, title: "PIN not submitted");
        }
        var result = await service.SubmitAsync(requestId, body?.Code, body?.AccountId, DashboardApi.ActorName(user), cancellationToken);
        if (result.Status == PinSubmitStatus.Accepted)
            return TypedResults.Accepted($"{DashboardApi.Prefix}/pins", new PinAccepted(requestId, result.Message));
        var status = result.Status switch
        {
            PinSubmitStatus.InvalidCode or PinSubmitStatus.NeedsAccount => StatusCodes.Status400BadRequest,
            PinSubmitStatus.NotFound => StatusCodes.Status404NotFound,
            PinSubmitStatus.Conflict or PinSubmitStatus.AccountNotYetKnown => StatusCodes.Status409Conflict,
            PinSubmitStatus.UpstreamFailed => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        return TypedResults.Problem(detail: result.Message, statusCode: status, title: "PIN not submitted");
    }
}
