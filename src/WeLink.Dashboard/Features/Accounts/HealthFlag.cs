namespace WeLink.Dashboard.Features.Accounts;

/// <summary>
/// What can stop a logged-in account from working right now. An account with none is healthy.
/// The first three follow from the account's own events (<see cref="AccountStates.Health"/>); a
/// flag computed elsewhere comes from an <see cref="IAccountHealthSource"/>.
/// </summary>
public enum HealthFlag
{
    /// <summary>A STATUS_429 within the last hour; until an hour after the last one.</summary>
    RateLimited,
    /// <summary>ACCOUNT_RESTRICTED, until a later LOGIN_SUCCESS.</summary>
    Restricted,
    /// <summary>PROXY_ERROR on the account's latest action.</summary>
    ProxyTrouble,
    /// <summary>The rolling-hour action budget is used up: set by the gateway through an <see cref="IAccountHealthSource"/>.</summary>
    BudgetSpent,
}

/// <summary>One raised flag: since when, and until when (null while open-ended).</summary>
public sealed record AccountHealthFlag(HealthFlag Flag, DateTimeOffset Since, DateTimeOffset? Until);

/// <summary>
/// Flags computed outside the accounts projection (e.g. <see cref="HealthFlag.BudgetSpent"/> from the
/// gateway's budgets). Register one with <c>services.AddSingleton&lt;IAccountHealthSource, MySource&gt;()</c>;
/// lists, filters, sorting, the API and the hub pick its flags up with the projection's.
/// </summary>
public interface IAccountHealthSource
{
    /// <summary>The flags raised now for any of <paramref name="accountIds"/>; accounts with none may be left out.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<AccountHealthFlag>>> FlagsAsync(
        IReadOnlyCollection<string> accountIds, DateTimeOffset now, CancellationToken cancellationToken);
}
