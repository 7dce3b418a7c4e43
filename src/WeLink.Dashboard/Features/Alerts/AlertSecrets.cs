namespace WeLink.Dashboard.Features.Alerts;

/// <summary>
/// Channel URLs, tokens and passwords are secrets (an incoming-webhook URL is its own credential):
/// pages, the API and logs show a channel by what identifies it, never by what unlocks it.
/// </summary>
public static class AlertSecrets
{
    public const string Mask = "••••";

    /// <summary>Scheme and host only: <c>https://hooks.slack.com/••••</c>.</summary>
    public static string? MaskUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/{Mask}" : string.IsNullOrEmpty(url) ? null : Mask;

    /// <summary>Where the channel sends to, safe to show.</summary>
    public static string Target(AlertChannelOptions c) => c.Kind switch
    {
        AlertChannelKind.Telegram => $"{MaskUrl(c.ApiBaseUrl)?.Replace("/" + Mask, "", StringComparison.Ordinal)}/bot{Mask}/sendMessage, chat {c.ChatId}",
        AlertChannelKind.Email => $"{c.SmtpHost}:{c.SmtpPort}{(c.UseTls ? " (TLS)" : "")} → {c.To}",
        _ => MaskUrl(c.Url) ?? "",
    };

    /// <summary><paramref name="text"/> with every secret of <paramref name="channel"/> replaced by the mask.</summary>
    public static string Scrub(AlertChannelOptions channel, string text)
    {
        foreach (var secret in new[] { channel.Url, channel.Secret, channel.BotToken, channel.Password })
        {
            if (string.IsNullOrEmpty(secret)) continue;
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            if (Uri.TryCreate(secret, UriKind.Absolute, out var uri) && uri.PathAndQuery.Length > 1)
                text = text.Replace(uri.PathAndQuery, "/" + Mask, StringComparison.Ordinal);
        }
        return text.Length > 500 ? text[..500] : text;
    }
}
