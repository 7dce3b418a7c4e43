using System.Text.Json;

namespace WeLink.Webhooks;

/// <summary>
/// The fields of a webhook body that the dashboard reads, each taken only when it has the
/// documented JSON type; anything else in the body is kept verbatim in the raw body.
/// </summary>
public sealed record WebhookEnvelope
{
    public string? Status { get; init; }
    public string? RequestId { get; init; }
    public string? Error { get; init; }
    public string? Message { get; init; }
    public string? ExplicitType { get; init; }
    public string? ExplicitAccountId { get; init; }
    public JsonElement? Result { get; init; }

    public string? ResultString(string name) =>
        Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => JsonText.WithReplacementMarks(JsonText.Read(value)),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public bool ResultHas(string name) =>
        Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty(name, out _);

    /// <summary>Reads the envelope from a parsed body (which must be an object).</summary>
    public static WebhookEnvelope Read(JsonElement root)
    {
        JsonElement? result = root.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object ? r : null;
        return new WebhookEnvelope
        {
            Status = Text(root, "status"),
            RequestId = Text(root, "request_id") ?? Text(root, "requestId"),
            Error = Text(root, "error"),
            Message = Text(root, "message"),
            ExplicitType = Text(root, "event") ?? Text(root, "event_type") ?? Text(root, "eventType") ?? Text(root, "type"),
            ExplicitAccountId = Text(root, "account_id") ?? Text(root, "accountId")
                ?? (result is { } res ? Text(res, "account_id") ?? Text(res, "accountId") : null),
            Result = result,
        };
    }

    private static string? Text(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value)) return null;
        var text = value.ValueKind switch
        {
            // A lone surrogate (a string cut inside an emoji) becomes a replacement mark in the
            // derived columns; the raw body keeps the text as sent.
            JsonValueKind.String => JsonText.WithReplacementMarks(JsonText.Read(value)),
            // Ids sometimes travel as numbers; keep their exact text.
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
