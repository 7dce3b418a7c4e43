using MudBlazor;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Requests;

/// <summary>How the Requests page shows a state, and reads its filters from the URL.</summary>
public static class RequestsView
{
    /// <summary>States an operator must look at: no outcome came, or none will.</summary>
    public static bool NeedsAttention(RequestState state) => state is RequestState.Overdue or RequestState.Missing or RequestState.Lost;

    public static Color StateColor(RequestState state) => state switch
    {
        RequestState.Done => Color.Success,
        RequestState.PinRequired or RequestState.PinSubmitted => Color.Info,
        RequestState.Overdue or RequestState.Missing => Color.Warning,
        RequestState.Lost => Color.Error,
        _ => Color.Default,
    };

    public static string Describe(RequestState state) => state switch
    {
        RequestState.Waiting => "waiting for its webhook",
        RequestState.PinRequired => "waiting for a PIN",
        RequestState.PinSubmitted => "PIN sent, waiting for the login's outcome",
        RequestState.Done => "outcome stored",
        RequestState.Overdue => "no webhook in time: being asked for with get_response",
        RequestState.Missing => "get_response found nothing yet: asked again with backoff",
        RequestState.Lost => "no outcome within We-Link's retry horizon",
        _ => state.ToString(),
    };

    /// <summary>A state from the URL; anything else is no filter.</summary>
    public static RequestState? ParseState(string? text) =>
        !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _) && Enum.TryParse<RequestState>(text.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;

    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0} ms"
        : span.TotalMinutes < 1 ? $"{span.TotalSeconds:0.#} s"
        : span.TotalHours < 1 ? $"{span.TotalMinutes:0.#} min"
        : $"{span.TotalHours:0.#} h";

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static RequestFilter Filter(string? account, string? action, string? state, string? caller) =>
        new(Clean(account), Clean(action), ParseState(state), Clean(caller));
}
