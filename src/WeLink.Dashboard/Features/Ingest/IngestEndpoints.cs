using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WeLink.Dashboard.Hosting;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Ingest;

public static class IngestEndpoints
{
    public const string WebhookRoute = "/webhooks/welink";

    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookIngestor>();
        builder.Services.AddSingleton<RejectedDeliveries>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RejectedDeliveries>());
        return builder;
    }

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(WebhookRoute).WithTags("Ingest").DisableAntiforgery();
        // Any other method on the webhook URL is told plainly that only POST is accepted.
        group.MapMethods("/{event?}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], OnlyPost)
            .ExcludeFromDescription();
        group.MapPost("/{event?}", Receive).WithName("ReceiveWebhook")
            .WithSummary("Receive a We-Link webhook; an optional path segment or ?event= hints the event type, ?account= the account.");
        return app;
    }

    private static ProblemHttpResult OnlyPost(HttpContext context)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        return TypedResults.Problem(detail: "The webhook endpoint accepts POST only.", statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed");
    }

    public sealed record IngestReply(string Status, long Id, int Deliveries, string Type, string? Account);

    private static async Task<Results<Ok<IngestReply>, ProblemHttpResult>> Receive(
        HttpRequest request,
        WebhookIngestor ingestor,
        [FromRoute(Name = "event")] string? routeEvent,
        [FromQuery(Name = "event")] string? queryEvent,
        [FromQuery(Name = "account")] string? account,
        CancellationToken cancellationToken)
    {
        var hints = new WebhookHints(routeEvent ?? queryEvent, account);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await ingestor.IngestAsync(request, hints, cancellationToken);
        IngestMetrics.Record(IngestMetrics.Handler, IngestMetrics.HandlerStage, start);
        return answer.Status switch
        {
            IngestStatus.Stored or IngestStatus.Duplicate => TypedResults.Ok(new IngestReply(
                answer.Status == IngestStatus.Stored ? "stored" : "duplicate",
                answer.Outcome!.EventId, answer.Outcome.DeliveryCount, answer.Outcome.EventType, answer.Outcome.AccountId)),
            _ => Problem(answer, request.HttpContext),
        };
    }

    private static ProblemHttpResult Problem(IngestAnswer answer, HttpContext context)
    {
        var (status, title) = answer.Status switch
        {
            IngestStatus.Unauthorized => (StatusCodes.Status401Unauthorized, "Bad or missing signature"),
            IngestStatus.BadRequest => (StatusCodes.Status400BadRequest, "Malformed webhook body"),
            IngestStatus.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Webhook body too large"),
            IngestStatus.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, "Webhook body is not JSON"),
            _ => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable"),
        };
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail: answer.Reason, statusCode: status, title: title);
    }
}
