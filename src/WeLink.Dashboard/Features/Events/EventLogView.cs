using MudBlazor;
using WeLink.Dashboard.Features.Shared;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Events;

/// <summary>What the event log page shows, worked out without rendering: filters from the URL, labels, matching live events.</summary>
public static class EventLogView
{
    public const int DefaultPageSize = 50;
    public static readonly int[] PageSizes = [25, 50, 100, 200];

    /// <summary>Quick ranges offered beside the since/until inputs.</summary>
    public static readonly IReadOnlyList<(string Label, TimeSpan Span)> QuickRanges =
        [("Last hour", TimeSpan.FromHours(1)), ("Last 24 h", TimeSpan.FromHours(24)), ("Last 7 d", TimeSpan.FromDays(7))];

    /// <summary>The filter a URL asks for: blanks dropped, times parsed (an unreadable time is ignored).</summary>
    public static EventFilter FromQuery(string? type, string? account, string? status, string? errorCode, string? since, string? until, string? q) =>
        new(Blank(type)?.ToUpperInvariant(), Blank(account), Blank(status), Blank(errorCode),
            DashboardUrls.ParseStamp(Blank(since)), DashboardUrls.ParseStamp(Blank(until)), Blank(q));

    public static bool IsEmpty(EventFilter filter) => filter == EventFilter.None;

    /// <summary>
    /// Whether a live event belongs under the filter, as far as its summary tells. The free-text
    /// part needs the body, so it is not checked here: the "N new" count may then be an upper bound.
    /// </summary>
    public static bool Matches(EventFilter filter, EventSummary e)
    {
        if (filter.Type is { } type && !string.Equals(type, e.EventType, StringComparison.OrdinalIgnoreCase)) return false;
        if (filter.Account == EventFilter.Unattributed) { if (e.AccountId is not null) return false; }
        else if (filter.Account is { } account && account != e.AccountId) return false;
        if (filter.Status is { } status && status != e.Status) return false;
        if (filter.ErrorCode is { } code && code != e.ErrorCode) return false;
        if (filter.Since is { } since && e.ReceivedAt < since) return false;
        if (filter.Until is { } until && e.ReceivedAt >= until) return false;
        return true;
    }

    /// <summary>Event types to offer: the documented ones, UNKNOWN, whatever has been seen, and the current choice.</summary>
    public static IReadOnlyList<string> TypeChoices(IEnumerable<string> seen, string? current) =>
        Merge([.. EventTypes.Documented, EventTypes.Unknown], seen, current);

    /// <summary>Error codes to offer: the documented ones, then the ones seen, and the current choice.</summary>
    public static IReadOnlyList<string> ErrorCodeChoices(IEnumerable<string> seen, string? current) =>
        Merge([.. ErrorCodes.Documented.Keys.Order(StringComparer.Ordinal)], seen, current);

    /// <summary>Statuses to offer: the three documented outcomes, then codes used as a status.</summary>
    public static IReadOnlyList<string> StatusChoices(IEnumerable<string> seen, string? current) =>
        Merge(["SUCCESS", "FAILED", "PIN_REQUIRED"], seen, current);

    public static IReadOnlyList<string> AccountChoices(IEnumerable<string> known, string? current) => Shared.AccountChoices.For(known, current);

    private static List<string> Merge(IReadOnlyList<string> first, IEnumerable<string> more, string? current)
    {
        var seen = new HashSet<string>(first, StringComparer.Ordinal);
        var rest = more.Where(m => !string.IsNullOrWhiteSpace(m) && seen.Add(m)).ToList();
        if (!string.IsNullOrWhiteSpace(current) && seen.Add(current)) rest.Add(current);
        rest.Sort(StringComparer.Ordinal);
        var all = first.Concat(rest).ToList();
        return all;
    }

    /// <summary>How a derivation is labelled: inference is a guess and says so.</summary>
    public static string DerivationLabel(DerivationSource source) => source switch
    {
        DerivationSource.Explicit => "explicit",
        DerivationSource.Hinted => "hinted",
        DerivationSource.Correlated => "correlated",
        DerivationSource.Inferred => "guess",
        DerivationSource.Conflicting => "conflict",
        _ => "unknown",
    };

    public static string DerivationExplanation(DerivationSource source, bool forAccount) => source switch
    {
        DerivationSource.Explicit => forAccount ? "The body names the account." : "The body names the event type.",
        DerivationSource.Hinted => forAccount ? "The webhook URL carried ?account=." : "The webhook URL named the event type.",
        DerivationSource.Correlated => "Matched an earlier request with the same request id.",
        DerivationSource.Inferred => forAccount ? "Guessed from an e-mail or profile id in the result." : "Guessed from the shape of the body: it may be wrong.",
        DerivationSource.Conflicting => "The body names this account but a known request with the same request id names another: the body's stands.",
        _ => forAccount ? "No account could be found for this event." : "No rule recognised this event.",
    };

    public static Color DerivationColor(DerivationSource source) => source switch
    {
        DerivationSource.Explicit or DerivationSource.Hinted => Color.Success,
        DerivationSource.Correlated => Color.Info,
        DerivationSource.Inferred or DerivationSource.Conflicting => Color.Warning,
        _ => Color.Default,
    };

    public static string SignatureLabel(SignatureOutcome outcome) => outcome switch
    {
        SignatureOutcome.VerifiedNode => "verified",
        SignatureOutcome.VerifiedPython => "verified (Python form)",
        SignatureOutcome.VerifiedJwt => "verified (JWT)",
        SignatureOutcome.Unverified => "not checked (no secret configured)",
        SignatureOutcome.Missing => "no hash",
        SignatureOutcome.Mismatch => "mismatch",
        SignatureOutcome.Fetched => "fetched (get_response, not delivered)",
        _ => outcome.ToString(),
    };

    public static bool IsVerified(SignatureOutcome outcome) =>
        outcome is SignatureOutcome.VerifiedNode or SignatureOutcome.VerifiedPython or SignatureOutcome.VerifiedJwt;

    public static Color SignatureColor(SignatureOutcome outcome) =>
        IsVerified(outcome) ? Color.Success
        : outcome == SignatureOutcome.Unverified ? Color.Warning
        // Authenticated by the dashboard's own API call, not by a signature: neither verified nor suspect.
        : outcome == SignatureOutcome.Fetched ? Color.Info
        : Color.Error;

    public static Color StatusColor(string? status) => status switch
    {
        "SUCCESS" => Color.Success,
        "PIN_REQUIRED" => Color.Warning,
        null or "" => Color.Default,
        _ => Color.Error,
    };

    /// <summary>The value of a datetime-local input, in the operator's zone.</summary>
    public static string? ToLocalInput(DateTimeOffset? at, TimeSpan offset) => LocalTimeInput.Format(at, offset);

    public static DateTimeOffset? FromLocalInput(string? text, TimeSpan offset) => LocalTimeInput.Parse(text, offset);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
