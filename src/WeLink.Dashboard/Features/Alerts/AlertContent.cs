using System.Globalization;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Events;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>The account an alert is about, as channels show it.</summary>
public sealed record AlertAccount(string Id, string? Name, string? Email);

/// <summary>
/// What every channel says about one message (design.md "Alerts", Content). Built from the stored
/// message and the account's name: never a PIN, password, token or secret, which the store does not hold.
/// </summary>
public sealed record AlertContent(
    string Id,
    string Rule,
    string State,
    string Severity,
    AlertAccount? Account,
    string Title,
    string Summary,
    DateTimeOffset At,
    string Link)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";

    /// <summary>
    /// <paramref name="message"/> as channels send it; <paramref name="publicUrl"/> makes links absolute (a
    /// path alone without it). <paramref name="settings"/> supplies the windows quoted in summaries.
    /// </summary>
    public static AlertContent For(AlertMessage message, AlertAccount? account, string? publicUrl, AlertOptions settings, string? channel = null)
    {
        var who = account is null ? "an unattributed login" : account.Name ?? account.Email ?? account.Id;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(message.At);
        var resolved = message.Kind == AlertMessageKind.Resolved;
        var (title, summary) = (message.Rule, message.Kind) switch
        {
            (_, AlertMessageKind.Test) => ("Test alert", $"A test of the alert channel '{channel ?? message.Channel}' from WeLink.Dashboard: it works."),
            (AlertRules.PinWaiting, AlertMessageKind.Firing) => ($"PIN needed for {who}", $"The login of {who} waits for a PIN. Enter it on the dashboard before it expires."),
            (AlertRules.PinWaiting, AlertMessageKind.Reminder) => ($"Still waiting: PIN for {who}", $"The login of {who} has waited {Minutes(settings.Rules.PinWaiting.RemindAfter)} for a PIN. It expires unanswered soon."),
            (AlertRules.PinWaiting, AlertMessageKind.Expired) => ($"PIN request expired: {who}", $"Nobody entered the PIN for {who} in time: the login has to be started again."),
            (AlertRules.PinWaiting, AlertMessageKind.Resolved) => ($"PIN answered: {who}", $"The PIN request of {who} has its outcome."),
            (AlertRules.LoginFailed, AlertMessageKind.Resolved) or (AlertRules.SessionExpired, AlertMessageKind.Resolved) =>
                ($"Connected again: {who}", $"{who} is connected again."),
            (AlertRules.LoginFailed, _) => ($"Login failed: {who}", $"The login of {who} failed{(message.Subject is { } code ? $" ({code})" : "")}."),
            (AlertRules.SessionExpired, _) => ($"Session expired: {who}", $"The LinkedIn session of {who} is no longer active: the account needs a new login."),
            (AlertRules.Restricted, AlertMessageKind.Resolved) => ($"No longer restricted: {who}", $"{who} logged in successfully after its restriction."),
            (AlertRules.Restricted, _) => ($"Account restricted: {who}", $"LinkedIn restricted {who} (ACCOUNT_RESTRICTED). Check the account in LinkedIn."),
            (AlertRules.ErrorSpike, _) => ($"Error spike: {message.Subject}",
                $"{message.Count} events with {message.Subject} across the fleet in the last {Minutes(settings.Rules.ErrorSpike.Window)}."),
            (AlertRules.RejectedDeliveries, _) => ("Webhook deliveries refused",
                $"{message.Count} webhook deliveries failed the signature check in the last {Minutes(settings.Rules.RejectedDeliveries.Window)}: "
                + "is the Secret Code in We-Link the same as the dashboard's WeLink:WebhookSecret?"),
            (AlertRules.RequestLost, AlertMessageKind.Resolved) => ($"Lost requests answered: {who}",
                $"The requests of {who} that had been given up have their results now."),
            (AlertRules.RequestLost, _) => ($"Request lost: {who}",
                $"We-Link gave no result for request {message.Subject} of {who} within Gateway:GiveUpAfter, not even to get_response: the tracker gave up on it."),
            (AlertRules.WebhookSilence, AlertMessageKind.Resolved) => ("Webhooks arrive again", "We-Link's webhooks reach the dashboard again."),
            (AlertRules.WebhookSilence, _) => ("No webhooks from We-Link",
                $"Requests have waited {Minutes(settings.Rules.WebhookSilence.SilenceAfter)} and no webhook arrived: "
                + "is the webhook URL in We-Link right, and can We-Link reach the dashboard?"),
            _ => ($"{message.Rule}{(resolved ? " resolved" : "")}", $"{message.Rule} for {who}."),
        };
        var path = (message.Rule, message.Kind) switch
        {
            (_, AlertMessageKind.Test) => "/admin/alerts",
            (AlertRules.PinWaiting, _) when message.Subject is { } request => $"{DashboardUrls.Pins}?request={Uri.EscapeDataString(request)}",
            (AlertRules.ErrorSpike, _) => DashboardUrls.EventLog(new EventFilter(ErrorCode: message.Subject, Since: at - settings.Rules.ErrorSpike.Window)),
            (AlertRules.RejectedDeliveries, _) => DashboardUrls.Overview,
            (AlertRules.RequestLost, _) => DashboardUrls.RequestsFiltered(new Requests.RequestFilter(Account: account?.Id, State: RequestState.Lost)),
            (AlertRules.WebhookSilence, _) => DashboardUrls.Requests,
            _ when account is not null => DashboardUrls.Account(account.Id),
            _ => DashboardUrls.Overview,
        };
        var severity = resolved || message.Kind == AlertMessageKind.Test ? "info"
            : message.Rule is AlertRules.PinWaiting or AlertRules.Restricted or AlertRules.RejectedDeliveries or AlertRules.WebhookSilence ? "critical"
            : "warning";
        return new AlertContent(MessageIdOf(message), message.Rule, resolved ? Resolved : Firing, severity, account, title, summary, at,
            Absolute(publicUrl, path));
    }

    /// <summary>Stable across retries and restarts: receivers dedupe on it (<c>X-Alert-Id</c>).</summary>
    public static string MessageIdOf(AlertMessage message) =>
        $"alert-{message.AlertId}-{message.Kind.ToString().ToLowerInvariant()}-{message.Id.ToString(CultureInfo.InvariantCulture)}";

    private static string Absolute(string? publicUrl, string path) =>
        string.IsNullOrWhiteSpace(publicUrl) ? path : publicUrl.TrimEnd('/') + path;

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1
        ? $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
