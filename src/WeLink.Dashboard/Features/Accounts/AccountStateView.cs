using MudBlazor;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>How pages show login states: colours, and the state names the URL carries.</summary>
public static class AccountStateView
{
    /// <summary>Most urgent first: the order states are listed in filters and summaries.</summary>
    public static IReadOnlyList<LoginState> DisplayOrder { get; } =
    [
        LoginState.PinRequired, LoginState.PinSubmitted, LoginState.LoginFailed, LoginState.PinExpired,
        LoginState.Restricted, LoginState.RateLimited, LoginState.Connected, LoginState.Unknown,
    ];

    public static Color ColorOf(LoginState state) => AccountStates.Describe(state).Tone switch
    {
        "success" => Color.Success,
        "warning" => Color.Warning,
        "info" => Color.Info,
        "error" => Color.Error,
        _ => Color.Default,
    };

    public static string LabelOf(LoginState state) => AccountStates.Describe(state).Label;

    /// <summary>A state name from the URL (<c>?state=Connected</c>, any case); null when absent or not a state.</summary>
    public static LoginState? Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : AccountStates.All.Cast<LoginState?>().FirstOrDefault(s => string.Equals(s.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase));
}
