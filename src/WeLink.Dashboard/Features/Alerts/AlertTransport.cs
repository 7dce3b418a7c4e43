using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>How one attempt went: a 2xx (or an accepted e-mail), or why not, with secrets already masked.</summary>
public sealed record AlertSendResult(bool Delivered, int? StatusCode, string? Error)
{
    public static AlertSendResult Ok(int? status) => new(true, status, null);
}

/// <summary>
/// Puts one alert on one channel in the shape that service documents. Knows nothing of the outbox:
/// the sender decides when to try again. Errors come back with the channel's secrets masked.
/// </summary>
public sealed class AlertTransport(IHttpClientFactory clients)
{
    public const string HttpClientName = "alerts";
    public const string SignatureHeader = "X-Dashboard-Signature";
    public const string AlertIdHeader = "X-Alert-Id";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AlertSendResult> SendAsync(AlertChannelOptions channel, AlertContent alert, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return channel.Kind switch
            {
                AlertChannelKind.Webhook => await PostAsync(channel, new Uri(channel.Url!), WebhookBody(alert), alert, sign: true, limit.Token),
                AlertChannelKind.Slack => await PostAsync(channel, new Uri(channel.Url!), SlackBody(alert), alert, sign: false, limit.Token),
                AlertChannelKind.Teams => await PostAsync(channel, new Uri(channel.Url!), TeamsBody(alert), alert, sign: false, limit.Token),
                AlertChannelKind.Telegram => await PostAsync(channel, TelegramUri(channel), TelegramBody(channel, alert), alert, sign: false, limit.Token),
                AlertChannelKind.Email => await MailAsync(channel, alert, limit.Token),
                _ => new AlertSendResult(false, null, "unknown channel kind"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AlertSendResult(false, null, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever a channel does wrong (refused connection, TLS, SMTP reply, a bad answer) is a
            // failed attempt to retry, never the end of the channel's loop.
            return new AlertSendResult(false, null, AlertSecrets.Scrub(channel, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task<AlertSendResult> PostAsync(AlertChannelOptions channel, Uri uri, JsonNode body, AlertContent alert, bool sign, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Json));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(AlertIdHeader, alert.Id);
        if (sign) request.Headers.Add(SignatureHeader, Signature(channel.Secret!, bytes));
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode ? AlertSendResult.Ok(status) : new AlertSendResult(false, status, $"HTTP {status}");
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Signature(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static JsonObject WebhookBody(AlertContent a) => new()
    {
        ["id"] = a.Id,
        ["rule"] = a.Rule,
        ["state"] = a.State,
        ["severity"] = a.Severity,
        ["account"] = a.Account is { } account ? new JsonObject { ["id"] = account.Id, ["name"] = account.Name, ["email"] = account.Email } : null,
        ["summary"] = a.Summary,
        ["at"] = a.At.ToString("O"),
        ["link"] = a.Link,
    };

    /// <summary>An incoming-webhook message: <c>text</c> for notifications, <c>blocks</c> for the message itself.</summary>
    public static JsonObject SlackBody(AlertContent a) => new()
    {
        ["text"] = $"{Icon(a)} {a.Title}: {a.Summary}",
        ["blocks"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"{Icon(a)} *{SlackEscape(a.Title)}*\n{SlackEscape(a.Summary)}" },
            },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "mrkdwn",
                    ["text"] = $"{a.Rule} · {a.State} · <{a.Link}|Open in WeLink.Dashboard>",
                }),
            }),
    };

    /// <summary>A Workflows ("When a Teams webhook request is received") message carrying an Adaptive Card.</summary>
    public static JsonObject TeamsBody(AlertContent a) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["contentUrl"] = null,
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray(
                    new JsonObject { ["type"] = "TextBlock", ["text"] = a.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true,
                        ["color"] = a.State == AlertContent.Resolved ? "Good" : "Attention" },
                    new JsonObject { ["type"] = "TextBlock", ["text"] = a.Summary, ["wrap"] = true },
                    new JsonObject
                    {
                        ["type"] = "FactSet",
                        ["facts"] = new JsonArray(
                            new JsonObject { ["title"] = "Rule", ["value"] = a.Rule },
                            new JsonObject { ["title"] = "State", ["value"] = a.State },
                            new JsonObject { ["title"] = "At", ["value"] = a.At.ToString("u") }),
                    }),
                ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in WeLink.Dashboard", ["url"] = a.Link }),
            },
        }),
    };

    public static Uri TelegramUri(AlertChannelOptions channel) => new($"{channel.ApiBaseUrl.TrimEnd('/')}/bot{channel.BotToken}/sendMessage");

    /// <summary>Plain text (no parse mode): nothing in a summary can break Telegram's markup.</summary>
    public static JsonObject TelegramBody(AlertChannelOptions channel, AlertContent a) => new()
    {
        ["chat_id"] = channel.ChatId,
        ["text"] = $"{Icon(a)} {a.Title}\n{a.Summary}\n{a.Link}",
        ["disable_web_page_preview"] = true,
    };

    public static MimeMessage MailMessage(AlertChannelOptions channel, AlertContent a)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(channel.From!));
        foreach (var to in channel.Recipients()) message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"[WeLink.Dashboard] {a.Title}";
        message.Headers.Add(AlertIdHeader, a.Id);
        var html = HtmlEncoder.Default;
        var builder = new BodyBuilder
        {
            TextBody = $"{a.Title}\n\n{a.Summary}\n\nRule: {a.Rule} ({a.State})\nAt: {a.At:u}\nOpen: {a.Link}\n",
            HtmlBody = $"<h2>{html.Encode(a.Title)}</h2><p>{html.Encode(a.Summary)}</p>"
                + $"<p>Rule: {html.Encode(a.Rule)} ({html.Encode(a.State)})<br>At: {html.Encode(a.At.ToString("u"))}</p>"
                + $"<p><a href=\"{html.Encode(a.Link)}\">Open in WeLink.Dashboard</a></p>",
        };
        message.Body = builder.ToMessageBody();
        return message;
    }

    private static async Task<AlertSendResult> MailAsync(AlertChannelOptions channel, AlertContent alert, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        var security = !channel.UseTls ? SecureSocketOptions.None
            : channel.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await smtp.ConnectAsync(channel.SmtpHost!, channel.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(channel.User)) await smtp.AuthenticateAsync(channel.User, channel.Password ?? "", cancellationToken);
        await smtp.SendAsync(MailMessage(channel, alert), cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        return AlertSendResult.Ok(null);
    }

    private static string Icon(AlertContent a) => a.State == AlertContent.Resolved ? "✅" : a.Severity == "critical" ? "🚨" : a.Severity == "info" ? "ℹ️" : "⚠️";

    private static string SlackEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
