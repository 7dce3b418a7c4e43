using MudBlazor;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Accounts;

/// <summary>How pages show login states and health flags: colours, and the names the URL carries.</summary>
public static class AccountStateView
{
    /// <summary>Most urgent first: the order states are listed in filters and summaries.</summary>
    public static IReadOnlyList<LoginState> DisplayOrder { get; } =
    [
        LoginState.PinRequired, LoginState.PinSubmitted, LoginState.LoginFailed, LoginState.PinExpired,
        LoginState.SessionExpired, LoginState.Connected, LoginState.Unknown,
    ];

    public static Color ColorOf(LoginState state) => ColorOf(AccountStates.Describe(state).Tone);

    public static Color ColorOf(HealthFlag flag) => ColorOf(AccountStates.Describe(flag).Tone);

    private static Color ColorOf(string tone) => tone switch
    {
        "success" => Color.Success,
        "warning" => Color.Warning,
        "info" => Color.Info,
        "error" => Color.Error,
        _ => Color.Default,
    };

    public static string LabelOf(LoginState state) => AccountStates.Describe(state).Label;

    public static string LabelOf(HealthFlag flag) => AccountStates.Describe(flag).Label;

    /// <summary>A state name from the URL (<c>?loginState=Connected</c>, any case); null when absent or not a state.</summary>
    public static LoginState? Parse(string? text) => ParseName<LoginState>(text);

    /// <summary>A flag name from the URL (<c>?health=RateLimited</c>, any case), or <c>Healthy</c> for none; null when absent or unknown.</summary>
    public static HealthFilter? ParseHealth(string? text) =>
        string.Equals(text?.Trim(), HealthFilter.HealthyName, StringComparison.OrdinalIgnoreCase) ? HealthFilter.Healthy
        : ParseName<HealthFlag>(text) is { } flag ? new HealthFilter(flag) : null;

    private static T? ParseName<T>(string? text) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? null
        : Enum.GetValues<T>().Cast<T?>().FirstOrDefault(s => string.Equals(s.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The health filter: accounts with <see cref="Flag"/> raised, or, with no flag, accounts with none.</summary>
public sealed record HealthFilter(HealthFlag? Flag)
{
    public const string HealthyName = "Healthy";
    public static HealthFilter Healthy { get; } = new((HealthFlag?)null);

    public bool Matches(IReadOnlyCollection<AccountHealthFlag> health) => Flag is { } flag ? health.Any(f => f.Flag == flag) : health.Count == 0;

    public override string ToString() => Flag?.ToString() ?? HealthyName;
}
