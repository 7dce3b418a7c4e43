using System.ComponentModel.DataAnnotations;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>The rules alerts come from (design.md "Alerts").</summary>
public static class AlertRules
{
    public const string PinWaiting = nameof(PinWaiting);
    public const string LoginFailed = nameof(LoginFailed);
    public const string Restricted = nameof(Restricted);
    public const string SessionExpired = nameof(SessionExpired);
    public const string ErrorSpike = nameof(ErrorSpike);
    public const string RejectedDeliveries = nameof(RejectedDeliveries);
    public const string WebhookSilence = nameof(WebhookSilence);
    public const string RequestLost = nameof(RequestLost);

    /// <summary>Rule names a channel's <c>Rules</c> may list.</summary>
    public static IReadOnlyList<string> All { get; } = [PinWaiting, LoginFailed, Restricted, SessionExpired, ErrorSpike, RejectedDeliveries,
        WebhookSilence, RequestLost];
}

public enum AlertChannelKind
{
    Webhook,
    Slack,
    Teams,
    Telegram,
    Email,
}

/// <summary>The <c>Alerts</c> section: channels, rules and their parameters, the sender's pace.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>Where alerts go: <c>{ Name, Kind, Rules, ... }</c> each.</summary>
    public List<AlertChannelOptions> Channels { get; set; } = [];

    /// <summary>Each rule's switch and parameters.</summary>
    public AlertRuleSettings Rules { get; set; } = new();

    /// <summary>Spaces repeats of rules with no clear end (ErrorSpike, RejectedDeliveries) unless the rule sets its own.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the timers look at open alerts and pending PINs (reminders, expiry, spikes).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry's delay; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one send may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public AlertChannelOptions? Channel(string name) => Channels.FirstOrDefault(c => c.Name == name);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Channels.Count; i++)
        {
            var c = Channels[i];
            var where = $"Alerts:Channels:{i}";
            if (string.IsNullOrWhiteSpace(c.Name)) yield return new ValidationResult($"{where}:Name is required.");
            else if (!names.Add(c.Name)) yield return new ValidationResult($"{where}:Name '{c.Name}' is used twice.");
            foreach (var rule in c.Rules.Where(r => !AlertRules.All.Contains(r)))
                yield return new ValidationResult($"{where}:Rules names an unknown rule '{rule}' (one of {string.Join(", ", AlertRules.All)}).");
            foreach (var problem in c.Problems()) yield return new ValidationResult($"{where}: {problem}");
        }
        foreach (var problem in Rules.Problems()) yield return new ValidationResult("Alerts:Rules: " + problem);
    }
}

/// <summary>One channel. Which keys matter depends on <see cref="Kind"/>; Url, Secret, BotToken and Password are secrets.</summary>
public sealed class AlertChannelOptions
{
    public string Name { get; set; } = "";
    public AlertChannelKind Kind { get; set; }

    /// <summary>Rules this channel gets; empty means all.</summary>
    public List<string> Rules { get; set; } = [];

    /// <summary>Webhook, Slack, Teams: where to POST.</summary>
    public string? Url { get; set; }

    /// <summary>Webhook: the HMAC-SHA256 key of <c>X-Dashboard-Signature</c>.</summary>
    public string? Secret { get; set; }

    public string? BotToken { get; set; }
    public string? ChatId { get; set; }
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS (or TLS on port 465); off only for a relay on a trusted network.</summary>
    public bool UseTls { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }

    /// <summary>Recipients, separated by commas.</summary>
    public string? To { get; set; }

    public bool Takes(string rule) => Rules.Count == 0 || Rules.Contains(rule, StringComparer.Ordinal);

    internal IEnumerable<string> Problems()
    {
        switch (Kind)
        {
            case AlertChannelKind.Webhook or AlertChannelKind.Slack or AlertChannelKind.Teams:
                if (!IsHttpUrl(Url)) yield return $"{Kind} needs an absolute http(s) Url.";
                if (Kind == AlertChannelKind.Webhook && string.IsNullOrEmpty(Secret)) yield return "Webhook needs a Secret to sign with.";
                break;
            case AlertChannelKind.Telegram:
                if (string.IsNullOrWhiteSpace(BotToken)) yield return "Telegram needs a BotToken.";
                if (string.IsNullOrWhiteSpace(ChatId)) yield return "Telegram needs a ChatId.";
                if (!IsHttpUrl(ApiBaseUrl)) yield return "Telegram needs an absolute http(s) ApiBaseUrl.";
                break;
            case AlertChannelKind.Email:
                if (string.IsNullOrWhiteSpace(SmtpHost)) yield return "Email needs an SmtpHost.";
                if (SmtpPort is < 1 or > 65535) yield return "Email needs an SmtpPort from 1 to 65535.";
                if (!IsMailbox(From)) yield return "Email needs a From address.";
                if (Recipients().Count == 0 || Recipients().Any(r => !IsMailbox(r)))
                    yield return "Email needs To: one or more addresses separated by commas.";
                break;
            default:
                yield return $"Kind must be one of {string.Join(", ", Enum.GetNames<AlertChannelKind>())}.";
                break;
        }
    }

    public List<string> Recipients() => (To ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool IsMailbox(string? text) =>
        MimeKit.MailboxAddress.TryParse(text ?? "", out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary><c>Alerts:Rules</c>: one entry per rule.</summary>
public sealed class AlertRuleSettings
{
    public PinWaitingRule PinWaiting { get; set; } = new();
    public AlertRuleSwitch LoginFailed { get; set; } = new();
    public AlertRuleSwitch Restricted { get; set; } = new();
    public AlertRuleSwitch SessionExpired { get; set; } = new();
    public ErrorSpikeRule ErrorSpike { get; set; } = new();
    public RejectedDeliveriesRule RejectedDeliveries { get; set; } = new();
    public WebhookSilenceRule WebhookSilence { get; set; } = new();
    public AlertRuleSwitch RequestLost { get; set; } = new();

    public bool IsEnabled(string rule) => rule switch
    {
        AlertRules.PinWaiting => PinWaiting.Enabled,
        AlertRules.LoginFailed => LoginFailed.Enabled,
        AlertRules.Restricted => Restricted.Enabled,
        AlertRules.SessionExpired => SessionExpired.Enabled,
        AlertRules.ErrorSpike => ErrorSpike.Enabled,
        AlertRules.RejectedDeliveries => RejectedDeliveries.Enabled,
        AlertRules.WebhookSilence => WebhookSilence.Enabled,
        AlertRules.RequestLost => RequestLost.Enabled,
        _ => false,
    };

    /// <summary>Each rule with its parameters as text, for the Alerts page.</summary>
    public IEnumerable<(string Rule, bool Enabled, string Parameters)> Describe(TimeSpan cooldown)
    {
        yield return (AlertRules.PinWaiting, PinWaiting.Enabled, $"RemindAfter {PinWaiting.RemindAfter}");
        yield return (AlertRules.LoginFailed, LoginFailed.Enabled, "");
        yield return (AlertRules.Restricted, Restricted.Enabled, "");
        yield return (AlertRules.SessionExpired, SessionExpired.Enabled, "");
        yield return (AlertRules.ErrorSpike, ErrorSpike.Enabled,
            $"Threshold {ErrorSpike.Threshold} in {ErrorSpike.Window}, Cooldown {ErrorSpike.Cooldown ?? cooldown}");
        yield return (AlertRules.RejectedDeliveries, RejectedDeliveries.Enabled,
            $"Threshold {RejectedDeliveries.Threshold} in {RejectedDeliveries.Window}, Cooldown {RejectedDeliveries.Cooldown ?? cooldown}");
        yield return (AlertRules.WebhookSilence, WebhookSilence.Enabled, $"SilenceAfter {WebhookSilence.SilenceAfter}");
        yield return (AlertRules.RequestLost, RequestLost.Enabled, "after Gateway:GiveUpAfter");
    }

    internal IEnumerable<string> Problems()
    {
        if (PinWaiting.RemindAfter <= TimeSpan.Zero) yield return "PinWaiting:RemindAfter must be positive.";
        if (ErrorSpike.Window <= TimeSpan.Zero || ErrorSpike.Window > TimeSpan.FromDays(1)) yield return "ErrorSpike:Window must be from 1 ms to 1 day.";
        if (ErrorSpike.Threshold < 1) yield return "ErrorSpike:Threshold must be at least 1.";
        if (RejectedDeliveries.Threshold < 1) yield return "RejectedDeliveries:Threshold must be at least 1.";
        if (RejectedDeliveries.Window < TimeSpan.FromMinutes(1) || RejectedDeliveries.Window > TimeSpan.FromDays(1))
            yield return "RejectedDeliveries:Window must be from 1 minute to 1 day (counted per minute).";
        if (WebhookSilence.SilenceAfter <= TimeSpan.Zero || WebhookSilence.SilenceAfter > TimeSpan.FromDays(7))
            yield return "WebhookSilence:SilenceAfter must be from 1 ms to 7 days.";
        if (ErrorSpike.Cooldown < TimeSpan.Zero || RejectedDeliveries.Cooldown < TimeSpan.Zero) yield return "a Cooldown must not be negative.";
    }
}

public class AlertRuleSwitch
{
    public bool Enabled { get; set; } = true;
}

public sealed class PinWaitingRule : AlertRuleSwitch
{
    /// <summary>A reminder goes out once the request has waited this long.</summary>
    public TimeSpan RemindAfter { get; set; } = TimeSpan.FromMinutes(3);
}

public sealed class ErrorSpikeRule : AlertRuleSwitch
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    public int Threshold { get; set; } = 20;

    /// <summary>Overrides <c>Alerts:Cooldown</c> for this rule.</summary>
    public TimeSpan? Cooldown { get; set; }
}

public sealed class RejectedDeliveriesRule : AlertRuleSwitch
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
    public int Threshold { get; set; } = 10;

    /// <summary>Overrides <c>Alerts:Cooldown</c> for this rule.</summary>
    public TimeSpan? Cooldown { get; set; }
}

public sealed class WebhookSilenceRule : AlertRuleSwitch
{
    /// <summary>How long requests may wait with no webhook arriving at all before We-Link's deliveries count as stopped.</summary>
    public TimeSpan SilenceAfter { get; set; } = TimeSpan.FromMinutes(10);
}
