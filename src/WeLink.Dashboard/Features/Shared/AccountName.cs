namespace WeLink.Dashboard.Features.Shared;

/// <summary>
/// How an operator recognises an account: its name and e-mail when We-Link or a LOGIN_SUCCESS told
/// us, its id otherwise. The id stays the key; the name is only ever shown beside it.
/// </summary>
public sealed record AccountName(string AccountId, string? DisplayName = null, string? Email = null)
{
    public static AccountName IdOnly(string accountId) => new(accountId);

    /// <summary>The account of a row that may have none (an unattributed event, say).</summary>
    public static AccountName? Of(string? accountId, string? displayName, string? email) =>
        string.IsNullOrEmpty(accountId) ? null : new AccountName(accountId, displayName, email);

    /// <summary>A name or an e-mail is known, so the id can step back to the hover text.</summary>
    public bool IsNamed => !string.IsNullOrWhiteSpace(DisplayName) || !string.IsNullOrWhiteSpace(Email);

    /// <summary>The one-phrase label for plain-text places: snackbars, titles, accessible names.</summary>
    public string Text => !string.IsNullOrWhiteSpace(DisplayName) ? DisplayName!
        : !string.IsNullOrWhiteSpace(Email) ? Email! : AccountId;

    /// <summary>Name and e-mail together, for pickers: "Priya Kowalski (priya@example.com)".</summary>
    public string LongText => !string.IsNullOrWhiteSpace(DisplayName) && !string.IsNullOrWhiteSpace(Email)
        ? $"{DisplayName} ({Email})" : Text;

    /// <summary>Whether a typed filter text finds this account: any part of its name, e-mail or id, ignoring case.</summary>
    public bool Matches(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return true;
        var t = text.Trim();
        return AccountId.Contains(t, StringComparison.OrdinalIgnoreCase)
            || DisplayName?.Contains(t, StringComparison.OrdinalIgnoreCase) == true
            || Email?.Contains(t, StringComparison.OrdinalIgnoreCase) == true;
    }
}
