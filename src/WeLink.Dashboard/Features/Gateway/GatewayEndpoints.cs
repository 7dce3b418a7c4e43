using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.Sql;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Hosting;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Gateway;

/// <summary>
/// <c>POST /welink/api/v1/{action}</c>: who may call is checked first, then the action's name, the
/// body's size, the budget and the database; only then is the body forwarded, and We-Link's answer
/// goes back unchanged once its request id and account are recorded.
/// </summary>
public static partial class GatewayEndpoints
{
    public const string Route = "/welink/api/v1/{action}";
    public const string ApiKeyCaller = "api-key";

    public static bool IsActionName(string? action) => action is { Length: > 0 and <= 128 } && ActionName().IsMatch(action);

    public static async Task ForwardAsync(HttpContext context, string action, GatewayForwarder forwarder, DashboardWriter writer,
        ActionCatalogue catalogue, LoginAccountResolver logins, IOptions<GatewayOptions> gateway, IOptions<IngestOptions> ingest,
        IOptions<WeLinkOptions> weLink, TimeProvider time, ILogger<GatewayForwarder> logger)
    {
        var cancellationToken = context.RequestAborted;
        var (caller, refusal) = await AuthenticateAsync(context, weLink.Value);
        if (refusal is { } status)
        {
            await Problem(context, status, status == 403 ? "A Viewer may not call We-Link." : "A bearer token (Operator or Admin) or We-Link's x-api-key and x-api-secret are required.");
            return;
        }
        if (!IsActionName(action))
        {
            await Problem(context, StatusCodes.Status404NotFound, "Not a We-Link action.");
            return;
        }
        if (!forwarder.IsConfigured)
        {
            await Problem(context, StatusCodes.Status503ServiceUnavailable, "We-Link API credentials are not configured (WeLink:ApiKey and WeLink:ApiSecret).");
            return;
        }
        var body = await ReadBodyAsync(context.Request, ingest.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            await Problem(context, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {ingest.Value.MaxBodyBytes} bytes.");
            return;
        }

        // Only the account (or a login's e-mail) is read from the body; nothing else of it is kept.
        var (accountId, email) = AccountFields(body, action);
        string? pendingEmail = null;
        if (accountId is null && email is not null)
        {
            accountId = await logins.ResolveAsync(email, cancellationToken);
            if (accountId is null) pendingEmail = LoginAccountResolver.Normalize(email);
        }
        var kind = catalogue.KindOf(action);
        var budget = kind switch { ActionKind.Asynchronous => GatewayBudget.Actions, ActionKind.MessageSync => GatewayBudget.MessageSyncs, _ => GatewayBudget.None };
        var limit = budget == GatewayBudget.MessageSyncs ? gateway.Value.MessageSyncsPerHour : gateway.Value.ActionsPerHour;

        GatewayCallAdmission admission;
        try
        {
            admission = await writer.ExecuteAsync(new BeginGatewayCall(
                new GatewayCallStart(time.GetUtcNow().ToUnixTimeMilliseconds(), caller!, action, accountId, pendingEmail),
                budget, limit, gateway.Value.EnforceBudgets), cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            await Problem(context, StatusCodes.Status503ServiceUnavailable, "The call could not be recorded; nothing was forwarded.");
            return;
        }
        if (admission.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problem(context, StatusCodes.Status429TooManyRequests, $"The account's {(budget == GatewayBudget.MessageSyncs ? "message-sync" : "action")} budget for the rolling hour is spent.");
            return;
        }

        var watch = Stopwatch.StartNew();
        var answer = await forwarder.ForwardAsync(action, body, context.Request.ContentType, cancellationToken);
        watch.Stop();
        var requestId = answer.Unreachable || answer.TimedOut ? null : RequestIdOf(answer.Body);
        var forwarded = answer.Status is >= 200 and < 300 && !answer.Unreachable && !answer.TimedOut;
        try
        {
            await writer.ExecuteAsync(new CompleteGatewayCall(new GatewayCallOutcome(admission.CallId, answer.Status, requestId,
                watch.ElapsedMilliseconds, forwarded ? budget : GatewayBudget.None, accountId, catalogue.FamilyOf(action),
                Tracked: kind != ActionKind.Synchronous, Caller: caller), weLink.Value.PinTimeout, gateway.Value.OverdueAfter), cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            // We-Link has carried the action out: its answer still goes back (a caller that retried
            // would act twice); the request stays unknown until a webhook or a registration names it.
            logger.LogError("Gateway call {Action} (request {RequestId}) was forwarded but its outcome could not be recorded: {Error}", action, requestId, ex.Message);
        }

        if (answer.Unreachable)
        {
            await Problem(context, StatusCodes.Status502BadGateway, "We-Link could not be reached.");
            return;
        }
        if (answer.TimedOut)
        {
            await Problem(context, StatusCodes.Status504GatewayTimeout, $"We-Link did not answer within {gateway.Value.Timeout.TotalSeconds:0.#} s.");
            return;
        }
        context.Response.StatusCode = answer.Status;
        if (requestId is not null) context.Response.Headers["X-Request-Id"] = requestId;
        if (answer.ContentType is not null) context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, cancellationToken);
    }

    /// <summary>The caller's name, or the status that refuses it (401 no or wrong credential, 403 a Viewer).</summary>
    private static async Task<(string? Caller, int? Refusal)> AuthenticateAsync(HttpContext context, WeLinkOptions weLink)
    {
        if (ApiTokenAuthenticationHandler.PresentedToken(context.Request) is not null)
        {
            var result = await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
            if (!result.Succeeded) return (null, StatusCodes.Status401Unauthorized);
            var user = result.Principal;
            if (!user.IsInRole(Roles.Operator) && !user.IsInRole(Roles.Admin)) return (null, StatusCodes.Status403Forbidden);
            var name = user.Identity?.Name ?? "token";
            return (name.StartsWith("token:", StringComparison.Ordinal) ? name["token:".Length..] : name, null);
        }
        var headers = context.Request.Headers;
        if (headers["x-api-key"].Count == 1 && headers["x-api-secret"].Count == 1 && weLink.HasApiCredentials
            && (Matches(headers["x-api-key"].ToString(), weLink.ApiKey!) & Matches(headers["x-api-secret"].ToString(), weLink.ApiSecret!)))
            return (ApiKeyCaller, null);
        return (null, StatusCodes.Status401Unauthorized);
    }

    /// <summary>Constant time whatever the lengths: both sides are hashed first.</summary>
    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The body, or null when it is larger than <paramref name="max"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary><c>accountId</c> from the body, and for a login its <c>email</c>; nothing else is read.</summary>
    internal static (string? AccountId, string? Email) AccountFields(byte[] body, string action)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            var accountId = root.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String
                ? WebhookClassifier.NormalizeAccountId(a.GetString()) : null;
            var email = accountId is null && action == "login_v2" && root.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String
                && e.GetString() is { Length: > 0 and <= 320 } text && text.Contains('@') ? text : null;
            return (accountId, email);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>We-Link's request id in its answer: <c>requestId</c>, <c>requestID</c> or <c>request_id</c>, at the top or in <c>data</c>.</summary>
    internal static string? RequestIdOf(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            return Find(document.RootElement) is { } id ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Find(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in (ReadOnlySpan<string>)["requestId", "requestID", "request_id"])
            {
                if (element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    && value.ToString() is { Length: > 0 and <= 256 } text && !text.Any(char.IsControl))
                    return text;
            }
            return element.TryGetProperty("data", out var data) ? Find(data) : null;
        }
    }

    private static Task Problem(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex ActionName();
}
