using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.Traffic;
using WeLink.Webhooks;

namespace WeLink.Emulator.FakeApi;

/// <summary>The We-Link REST calls the dashboard makes, under <c>/api/v1</c>, all POST with JSON.</summary>
internal static class FakeWeLinkEndpoints
{
    public const string WrongPinCode = "000000";

    private sealed record ApiMessage(string Message);

    public static void MapFakeWeLinkApi(this IEndpointRouteBuilder routes, FakeWeLinkOptions options)
    {
        var api = routes.MapGroup("/api/v1").AddEndpointFilter(new ApiKeyFilter(options.ApiKey, options.ApiSecret));
        api.MapPost("/login_code", LoginCode);
        api.MapPost("/login_v2", LoginV2);
        api.MapPost("/get_response", GetResponse);
        api.MapPost("/get_all_ln_accounts", GetAllAccounts);
        api.MapPost("/get_ln_account_details", GetAccountDetails);
        api.MapPost("/me", Me);
        api.MapFakeActions();
    }

    private static async Task<IResult> LoginCode(HttpRequest request, FakeWeLinkState state, OutcomeWebhooks webhooks, ILoggerFactory logs)
    {
        var (body, error) = await ReadAsync(request, "accountId", "code", "requestId");
        if (error is not null) return error;
        string accountId = body["accountId"], code = body["code"], requestId = body["requestId"];
        var account = state.FindAccount(accountId);
        if (account is null) return NotFound("Account not found");
        var owner = state.AccountOfLogin(requestId);
        if (owner is not null && owner != accountId) return BadRequest("requestId belongs to another account");

        state.RecordLoginCode(accountId, requestId, code);
        logs.CreateLogger("FakeWeLink.LoginCode").LogInformation("PIN submitted for {AccountId}, request {RequestId}", accountId, requestId);

        var succeeded = code != WrongPinCode;
        var outcome = new JsonObject { ["status"] = succeeded ? "SUCCESS" : "FAILED", ["request_id"] = requestId };
        if (succeeded) outcome["result"] = account.ToLoginResult();
        else outcome["error"] = ErrorCodes.WrongPassword;
        webhooks.Schedule(account, requestId, outcome, () => state.SetSession(account, succeeded));
        return TypedResults.Ok(new { status = "SUCCESS" });
    }

    private static async Task<IResult> LoginV2(HttpRequest request, FakeWeLinkState state, OutcomeWebhooks webhooks)
    {
        var (body, error) = await ReadAsync(request, "email", "password");
        if (error is not null) return error;
        var account = state.FindByEmail(body["email"]);
        if (account is null) return NotFound("No linked account with that email");

        var requestId = Guid.NewGuid().ToString();
        state.StartLogin(requestId, account.AccountId);
        state.StoreResponse(requestId, """{"status":"PENDING"}""");
        var pin = new JsonObject { ["status"] = "PIN_REQUIRED", ["request_id"] = requestId, ["message"] = EventDrafts.PinMessage };
        webhooks.Schedule(account, requestId, pin);
        return TypedResults.Ok(new { status = "SUCCESS", request_id = requestId });
    }

    private static async Task<IResult> GetResponse(HttpRequest request, FakeWeLinkState state)
    {
        var (body, error) = await ReadAsync(request, "requestId");
        if (error is not null) return error;
        if (state.GetResponseFailureStatus() is { } failure)
            return failure == StatusCodes.Status404NotFound ? NotFound("Request not found") : TypedResults.Json(new ApiMessage("Service unavailable"), statusCode: failure);
        var stored = state.Response(body["requestId"]);
        return stored is null ? NotFound("Request not found") : TypedResults.Text(stored, "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> GetAllAccounts(HttpRequest request, FakeWeLinkState state)
    {
        var (_, error) = await ReadAsync(request);
        if (error is not null) return error;
        return TypedResults.Ok(state.Listed.Select(a => new { accountId = a.AccountId, email = a.Email }));
    }

    private static async Task<IResult> GetAccountDetails(HttpRequest request, FakeWeLinkState state)
    {
        var (body, error) = await ReadAsync(request, "accountId");
        if (error is not null) return error;
        var a = state.FindAccount(body["accountId"]);
        return a is null
            ? NotFound("Account not found")
            : TypedResults.Ok(new { accountId = a.AccountId, email = a.Email, status = "ACTIVE", firstname = a.FirstName, lastname = a.LastName });
    }

    private static async Task<IResult> Me(HttpRequest request, FakeWeLinkState state)
    {
        var (body, error) = await ReadAsync(request, "accountId");
        if (error is not null) return error;
        state.RecordMeCall(body["accountId"]);
        if (state.MeFailureStatus is { } failure) return TypedResults.Json(new ApiMessage("Service unavailable"), statusCode: failure);
        var account = state.FindAccount(body["accountId"]);
        // We-Link's answer for an account without a live session (also for one it does not know).
        if (account is null || !state.IsActive(account.AccountId)) return BadRequest("Linked account not active");
        var answer = new JsonObject { ["status"] = "SUCCESS", ["accountId"] = account.AccountId, ["profile"] = account.ToLoginResult() };
        return TypedResults.Text(answer.ToJsonString(), "application/json", Encoding.UTF8);
    }

    /// <summary>Reads a JSON object body and the required string members, or the 400 to answer.</summary>
    private static async Task<(Dictionary<string, string> Body, IResult? Error)> ReadAsync(HttpRequest request, params string[] required)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return (values, BadRequest("Body must be a JSON object"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (values, BadRequest("Body must be a JSON object"));
            foreach (var name in required)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                    return (values, BadRequest($"{name} is required and must be a non-empty string"));
                values[name] = value.GetString()!;
            }
        }
        return (values, null);
    }

    private static IResult BadRequest(string message) => TypedResults.BadRequest(new ApiMessage(message));
    private static IResult NotFound(string message) => TypedResults.NotFound(new ApiMessage(message));

    /// <summary>Checks <c>x-api-key</c> and <c>x-api-secret</c> in constant time; 401 otherwise.</summary>
    private sealed class ApiKeyFilter(string apiKey, string apiSecret) : IEndpointFilter
    {
        private readonly byte[] _key = Encoding.UTF8.GetBytes(apiKey);
        private readonly byte[] _secret = Encoding.UTF8.GetBytes(apiSecret);

        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var headers = context.HttpContext.Request.Headers;
            var ok = Matches(headers["x-api-key"], _key) & Matches(headers["x-api-secret"], _secret);
            return ok ? next(context) : ValueTask.FromResult<object?>(TypedResults.Json(new ApiMessage("Invalid API key or secret"), statusCode: StatusCodes.Status401Unauthorized));
        }

        private static bool Matches(string? given, byte[] expected) =>
            given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }
}
