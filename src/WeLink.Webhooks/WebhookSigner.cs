using System.Text.Json;

namespace WeLink.Webhooks;

/// <summary>Signs a body the way We-Link does, for the emulator and tests.</summary>
public static class WebhookSigner
{
    /// <summary>
    /// Returns <paramref name="json"/> (an object, without <c>hash</c>) re-serialised in the
    /// <c>JSON.stringify</c> form with its <c>hash</c> appended as the last member.
    /// </summary>
    public static string Sign(string json, string secret)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException("A webhook body is a JSON object.", nameof(json));
        var text = CanonicalJson.ToText(root, CanonicalForm.Node, WebhookSignatureVerifier.HashMember);
        var hash = WebhookSignatureVerifier.ComputeHash(root, secret);
        return text.Length == 2
            ? "{\"hash\":\"" + hash + "\"}"
            : text[..^1] + ",\"hash\":\"" + hash + "\"}";
    }
}
