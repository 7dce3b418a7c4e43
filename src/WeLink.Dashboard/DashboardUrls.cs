using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using WeLink.Dashboard.Features.Events;

namespace WeLink.Dashboard;

/// <summary>The one place page routes and their query strings are built.</summary>
public static class DashboardUrls
{
    public const string Overview = "/";
    public const string Accounts = "/accounts";
    public const string Pins = "/pins";
    public const string Connections = "/connections";
    public const string Errors = "/errors";
    public const string Events = "/events";
    public const string Requests = "/requests";
    public const string SignIn = "/signin";

    public static string Account(string accountId) => $"{Accounts}/{Uri.EscapeDataString(accountId)}";

    public static string AccountsFiltered(string? search, string? loginState, string? health = null) =>
        With(Accounts, ("search", search), ("loginState", loginState), ("health", health));

    public static string EventLog(EventFilter filter, long? selected = null) =>
        With(Events,
            ("type", filter.Type), ("account", filter.Account), ("status", filter.Status), ("errorCode", filter.ErrorCode),
            ("since", Stamp(filter.Since)), ("until", Stamp(filter.Until)), ("q", filter.Q),
            ("event", selected?.ToString(CultureInfo.InvariantCulture)));

    public static string RequestsFiltered(Features.Requests.RequestFilter filter) =>
        With(Requests, ("account", filter.Account), ("action", filter.Action), ("state", filter.State?.ToString()), ("caller", filter.Caller));

    public static string ErrorsFor(string? account, DateTimeOffset? since, DateTimeOffset? until) =>
        With(Errors, ("account", account), ("since", Stamp(since)), ("until", Stamp(until)));

    public static string ConnectionsFor(string? account, DateTimeOffset? since, DateTimeOffset? until) =>
        With(Connections, ("account", account), ("since", Stamp(since)), ("until", Stamp(until)));

    public static string Export(EventFilter filter, string format) =>
        With("/api/events/export",
            ("format", format), ("type", filter.Type), ("account", filter.Account), ("status", filter.Status), ("errorCode", filter.ErrorCode),
            ("since", Stamp(filter.Since)), ("until", Stamp(filter.Until)), ("q", filter.Q));

    /// <summary>Round-trip UTC time, as query strings carry it.</summary>
    public static string? Stamp(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseStamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    private static string With(string path, params (string Key, string? Value)[] query)
    {
        var present = query.Where(q => !string.IsNullOrWhiteSpace(q.Value)).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value));
        return QueryHelpers.AddQueryString(path, present);
    }
}
