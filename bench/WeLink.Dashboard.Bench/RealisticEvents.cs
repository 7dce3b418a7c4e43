using System.Text;
using System.Text.Json.Nodes;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Bench;

/// <summary>One signed delivery: where it is posted and its exact bytes.</summary>
public sealed record BenchEvent(string PathAndQuery, byte[] Body, string RequestId, string EventType, string? AccountId, string? EventHint);

/// <summary>
/// A fleet's worth of We-Link traffic: the documented shapes in realistic proportions (mostly
/// connection and message results, some logins with PIN round trips, failures with the
/// documented error codes, a few undocumented shapes), both request-id spellings, non-ASCII
/// names, and the URL hints operators configure. Every body is unique and signed.
/// </summary>
public sealed class RealisticEvents(int seed, string secret, string runId, int accounts = 200)
{
    private static readonly string[] FirstNames = ["Chloé", "Mateus", "Håkon", "Aoife", "Dmitrij", "Inès", "Kwame", "Elif", "Émile", "Rūta"];
    private static readonly string[] LastNames = ["Fernández", "Løvland", "Ó Súilleabháin", "Wójcik", "Ndiaye", "Yılmaz", "Beaulieu", "Kazlauskė"];
    private static readonly string[] Replies = ["Thanks — happy to chat next week!", "Merci, ça me va 👍", "Gerne, schicken Sie mir die Unterlagen.", "Not interested, sorry.", "¿Podemos hablar el jueves?"];
    private static readonly string[] ConnectErrors = [ErrorCodes.RateLimited, ErrorCodes.ProfileNotFound, ErrorCodes.ProxyError, "INVITATION_LIMIT_REACHED"];
    private static readonly string[] LoginErrors = [ErrorCodes.WrongPassword, ErrorCodes.ProxyError, ErrorCodes.AccountRestricted, ErrorCodes.RecruiterAcknowledgementRequired];

    private readonly Random _rng = new(seed);
    private readonly Queue<(string RequestId, int Account)> _pendingLogins = new();
    private long _counter;

    public int Accounts => accounts;

    public static string AccountName(int index) => $"acc-{index:D3}";

    public BenchEvent Next()
    {
        var n = Interlocked.Increment(ref _counter);
        var account = _rng.Next(1, accounts + 1);
        var requestId = $"{runId}-{n:x8}-{Hex(12)}";
        var camel = _rng.Next(4) == 0;
        var roll = _rng.Next(1000);
        string type;
        JsonObject body;
        switch (roll)
        {
            case < 380:
                type = EventTypes.ConnectionSent;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject { ["connected"] = true, ["profile_id"] = Lead() };
                break;
            case < 480:
                type = EventTypes.ConnectionFailed;
                body = Failure(ConnectErrors[_rng.Next(ConnectErrors.Length)], requestId, camel);
                break;
            case < 630:
                type = EventTypes.MessageSent;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject { ["message_id"] = "msg-" + Hex(16), ["profile_id"] = Lead(), ["sent_at"] = Stamp() };
                break;
            case < 680:
                type = EventTypes.MessageReply;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject
                {
                    ["profile_id"] = Lead(), ["conversation_id"] = "conv-" + Hex(12),
                    ["text"] = Replies[_rng.Next(Replies.Length)], ["received_at"] = Stamp(),
                };
                break;
            case < 780:
                type = EventTypes.ProfileViewed;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject { ["profile_id"] = Lead(), ["viewed_at"] = Stamp() };
                break;
            case < 830:
                type = EventTypes.ProfileData;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject
                {
                    ["first_name"] = Pick(FirstNames), ["last_name"] = Pick(LastNames), ["profile_id"] = Lead(),
                    ["public_identifier"] = "lead-" + Hex(6), ["headline"] = "Directrice commerciale · B2B SaaS",
                    ["location"] = "Zürich, Schweiz", ["connections"] = _rng.Next(30, 501),
                };
                break;
            case < 870:
                type = EventTypes.SearchCompleted;
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject { ["search_id"] = "srch-" + Hex(10), ["total"] = _rng.Next(0, 2500), ["profiles"] = new JsonArray() };
                break;
            case < 900:
                type = EventTypes.LoginPinRequired;
                body = Start("PIN_REQUIRED", requestId, camel);
                body["message"] = "Please provide the verification code sent to the user";
                if (_pendingLogins.Count < 1000) _pendingLogins.Enqueue((requestId, account));
                break;
            case < 940:
                type = EventTypes.LoginSuccess;
                (requestId, account) = ReuseLogin(requestId, account);
                body = Start("SUCCESS", requestId, camel);
                body["result"] = new JsonObject
                {
                    ["first_name"] = Pick(FirstNames), ["last_name"] = Pick(LastNames), ["profile_id"] = $"ACoAAB{account:D10}",
                    ["public_identifier"] = $"operator-{account}", ["premium"] = _rng.Next(2) == 0, ["occupation"] = "Sales",
                    ["email"] = $"owner{account}@fleet.example",
                };
                break;
            case < 965:
                type = EventTypes.LoginFailed;
                (requestId, account) = ReuseLogin(requestId, account);
                body = Failure(LoginErrors[_rng.Next(LoginErrors.Length)], requestId, camel);
                break;
            case < 985:
                type = EventTypes.MessageFailed;
                body = Failure(_rng.Next(2) == 0 ? ErrorCodes.RateLimited : "CONVERSATION_CLOSED", requestId, camel);
                break;
            default:
                type = EventTypes.Unknown;
                body = Start("SUCCESS", requestId, camel);
                body["data"] = new JsonObject { ["job"] = "campaign-sync", ["processed"] = _rng.Next(1, 90) };
                body["webhook_version"] = 2;
                break;
        }
        if (_rng.Next(20) == 0)
        {
            body["timestamp"] = Stamp();
            body["meta"] = new JsonObject { ["source"] = "worker-" + _rng.Next(1, 9), ["tags"] = new JsonArray("β", "campaign") };
        }

        // How operators configure their webhook URLs: mostly an account hint, some one URL per family, some bare.
        var accountId = AccountName(account);
        var form = _rng.Next(10);
        string query;
        string? hint = null;
        if (form < 6) query = "?account=" + accountId;
        else if (form < 8) { hint = type == EventTypes.Unknown ? null : type; query = (hint is null ? "?" : "?event=" + hint + "&") + "account=" + accountId; }
        else { query = ""; accountId = null!; }

        var signed = WebhookSigner.Sign(body.ToJsonString(), secret);
        return new BenchEvent(query, Encoding.UTF8.GetBytes(signed), requestId, type, form < 8 ? AccountName(account) : null, hint);
    }

    private (string, int) ReuseLogin(string requestId, int account) =>
        _rng.Next(2) == 0 && _pendingLogins.TryDequeue(out var pending) ? pending : (requestId, account);

    private JsonObject Start(string status, string requestId, bool camel) =>
        new() { ["status"] = status, [camel ? "requestId" : "request_id"] = requestId };

    private JsonObject Failure(string code, string requestId, bool camel)
    {
        var body = Start("FAILED", requestId, camel);
        switch (_rng.Next(3))
        {
            case 0: body["error"] = code; break;
            case 1: body["status"] = code; body["message"] = "The action could not be completed"; break;
            default: body["error"] = code; body["message"] = "We-Link reported " + code.ToLowerInvariant().Replace('_', ' '); break;
        }
        return body;
    }

    private string Lead() => "ACoAAL" + Hex(10);
    private string Pick(string[] values) => values[_rng.Next(values.Length)];
    private string Stamp() => DateTimeOffset.UtcNow.AddSeconds(-_rng.Next(0, 3600)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private string Hex(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = "0123456789abcdef"[_rng.Next(16)];
        return new string(chars);
    }
}
