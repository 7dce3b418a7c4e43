using System.Text.Json.Nodes;
using WeLink.Webhooks;

namespace WeLink.Emulator.Traffic;

/// <summary>A webhook body before it is serialised and signed.</summary>
internal sealed record EventDraft(string EventType, string? ErrorCode, string RequestId, JsonObject Body);

/// <summary>How a failure carries its code; We-Link's documentation shows all of these.</summary>
internal enum ErrorForm
{
    /// <summary><c>{"status":"FAILED","error":"CODE"}</c></summary>
    ErrorField,
    /// <summary><c>{"status":"CODE","message":"text"}</c></summary>
    StatusCode,
    /// <summary><c>{"status":"FAILED","message":"CODE"}</c></summary>
    MessageCode,
    /// <summary><c>{"status":"FAILED","error":"CODE","message":"text"}</c></summary>
    ErrorAndText,
}

/// <summary>Builds realistic We-Link bodies: documented shapes, both spellings, odd extras.</summary>
internal sealed class EventDrafts(Random rng, string runId)
{
    public const string PinMessage = "Please provide the verification code sent to the user";

    private static readonly string[] LeadFirstNames = ["Chloé", "Mateus", "Håkon", "Aoife", "Dmitrij", "Inès", "Kwame", "Elif", "Émile", "Rūta"];
    private static readonly string[] LeadLastNames = ["Fernández", "Løvland", "Ó Súilleabháin", "Wójcik", "Ndiaye", "Yılmaz", "Beaulieu", "Kazlauskė"];
    private static readonly string[] Replies = ["Thanks — happy to chat next week!", "Merci, ça me va 👍", "Gerne, schicken Sie mir die Unterlagen.", "Not interested, sorry.", "¿Podemos hablar el jueves?"];

    private DateTimeOffset _clock = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    public string NewRequestId() =>
        $"{runId}-{Hex(4)}-4{Hex(3)}-{"89ab"[rng.Next(4)]}{Hex(3)}-{Hex(12)}";

    public EventDraft PinRequired(string requestId, bool camel)
    {
        var body = Start("PIN_REQUIRED", requestId, camel);
        body["message"] = PinMessage;
        return new EventDraft(EventTypes.LoginPinRequired, null, requestId, body);
    }

    public EventDraft Success(string eventType, string requestId, bool camel, FleetAccount account)
    {
        var body = Start("SUCCESS", requestId, camel);
        body["result"] = eventType switch
        {
            EventTypes.LoginSuccess => account.ToLoginResult(),
            EventTypes.ConnectionSent => new JsonObject { ["connected"] = true, ["profile_id"] = LeadProfileId() },
            EventTypes.MessageSent => new JsonObject { ["message_id"] = "msg-" + Hex(16), ["profile_id"] = LeadProfileId(), ["sent_at"] = Now() },
            EventTypes.MessageReply => new JsonObject
            {
                ["profile_id"] = LeadProfileId(), ["conversation_id"] = "conv-" + Hex(12),
                ["text"] = Pick(Replies), ["received_at"] = Now(),
            },
            EventTypes.ProfileViewed => new JsonObject { ["profile_id"] = LeadProfileId(), ["viewed_at"] = Now() },
            // Undocumented shape that looks a lot like a LOGIN_SUCCESS result: inference must not be trusted blindly.
            EventTypes.ProfileData => new JsonObject
            {
                ["first_name"] = Pick(LeadFirstNames), ["last_name"] = Pick(LeadLastNames), ["profile_id"] = LeadProfileId(),
                ["public_identifier"] = "lead-" + Hex(6), ["headline"] = "Directrice commerciale · B2B SaaS",
                ["location"] = "Zürich, Schweiz", ["connections"] = rng.Next(30, 501),
            },
            EventTypes.SearchCompleted => SearchResult(),
            _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Not a success type."),
        };
        MaybeAddExtras(body);
        return new EventDraft(eventType, null, requestId, body);
    }

    public EventDraft Failure(string eventType, string code, ErrorForm form, string requestId, bool camel)
    {
        var body = Start(form == ErrorForm.StatusCode ? code : "FAILED", requestId, camel);
        var text = ErrorCodes.Describe(code).Meaning;
        switch (form)
        {
            case ErrorForm.ErrorField: body["error"] = code; break;
            case ErrorForm.StatusCode: body["message"] = text; break;
            case ErrorForm.MessageCode: body["message"] = code; break;
            case ErrorForm.ErrorAndText: body["error"] = code; body["message"] = text; break;
        }
        MaybeAddExtras(body);
        return new EventDraft(eventType, code, requestId, body);
    }

    /// <summary>Shapes no documentation describes; a receiver must store them as <c>UNKNOWN</c>.</summary>
    public EventDraft Mystery(string requestId, bool camel)
    {
        var variant = rng.Next(4);
        var body = Start("SUCCESS", requestId, camel);
        switch (variant)
        {
            case 0: body["result"] = new JsonArray(1, 2, 3); break;
            case 1: body["result"] = new JsonObject { ["items"] = new JsonArray(), ["cursor"] = null, ["partial"] = true }; break;
            case 2:
                body["data"] = new JsonObject { ["job"] = "campaign-sync", ["processed"] = rng.Next(1, 90) };
                body["webhook_version"] = 2;
                break;
            default: body["result"] = new JsonObject { ["connected"] = false, ["reason"] = "already_connected" }; break;
        }
        return new EventDraft(EventTypes.Unknown, null, requestId, body);
    }

    private JsonObject Start(string status, string requestId, bool camel)
    {
        var key = camel ? "requestId" : "request_id";
        _clock = _clock.AddSeconds(rng.Next(1, 20));
        // Mostly status first as in the docs; sometimes the id leads.
        return rng.Next(10) == 0
            ? new JsonObject { [key] = requestId, ["status"] = status }
            : new JsonObject { ["status"] = status, [key] = requestId };
    }

    private void MaybeAddExtras(JsonObject body)
    {
        if (rng.Next(20) != 0) return;
        body["timestamp"] = Now();
        body["attempt"] = 1;
        body["meta"] = new JsonObject { ["source"] = "worker-" + rng.Next(1, 9), ["tags"] = new JsonArray("β", "campaign") };
    }

    private JsonObject SearchResult()
    {
        var profiles = new JsonArray();
        for (var i = rng.Next(0, 4); i > 0; i--)
            profiles.Add(new JsonObject { ["profile_id"] = LeadProfileId(), ["first_name"] = Pick(LeadFirstNames), ["last_name"] = Pick(LeadLastNames) });
        return new JsonObject { ["search_id"] = "srch-" + Hex(10), ["total"] = rng.Next(profiles.Count, 2500), ["profiles"] = profiles };
    }

    private string LeadProfileId() => "ACoAAL" + Hex(10);
    private string Now() => _clock.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    private string Pick(string[] values) => values[rng.Next(values.Length)];

    private string Hex(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = "0123456789abcdef"[rng.Next(16)];
        return new string(chars);
    }
}
