using System.Text.Json;
using System.Text.Json.Nodes;
using WeLink.Webhooks;

namespace WeLink.Emulator.Traffic;

/// <summary>Turns a body into the exact text We-Link puts on the wire.</summary>
public static class WebhookBodies
{
    /// <summary>
    /// <c>JSON.stringify</c> form of <paramref name="body"/> (which must not hold <c>hash</c>);
    /// signed with <c>hash</c> appended last when <paramref name="secret"/> is given.
    /// </summary>
    public static string Serialize(JsonObject body, string? secret)
    {
        var json = body.ToJsonString();
        if (!string.IsNullOrEmpty(secret)) return WebhookSigner.Sign(json, secret);
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.ToText(document.RootElement, CanonicalForm.Node);
    }
}

/// <summary>How a webhook URL tells the receiver what it carries.</summary>
public enum WebhookUrlForm
{
    /// <summary>The configured URL as is: no hint at all.</summary>
    Bare,
    /// <summary><c>{url}?account=acc-007</c></summary>
    AccountQuery,
    /// <summary><c>{url}/CONNECTION_SENT?account=acc-007</c></summary>
    EventPath,
    /// <summary><c>{url}?event=MESSAGE_SENT&amp;account=acc-007</c></summary>
    EventQuery,
}

/// <summary>Builds the URL forms operators configure in We-Link (one URL per family, account hints).</summary>
public static class WebhookUrls
{
    public static Uri Build(Uri target, WebhookUrlForm form, string? eventType, string? accountId)
    {
        var builder = new UriBuilder(target);
        var query = builder.Query.TrimStart('?');
        void Add(string name, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            query = (query.Length == 0 ? "" : query + "&") + name + "=" + Uri.EscapeDataString(value);
        }

        switch (form)
        {
            case WebhookUrlForm.AccountQuery:
                Add("account", accountId);
                break;
            case WebhookUrlForm.EventPath when eventType is not null:
                builder.Path = builder.Path.TrimEnd('/') + "/" + Uri.EscapeDataString(eventType);
                Add("account", accountId);
                break;
            case WebhookUrlForm.EventQuery:
                Add("event", eventType);
                Add("account", accountId);
                break;
        }
        builder.Query = query;
        return builder.Uri;
    }
}
