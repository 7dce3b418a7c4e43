namespace WeLink.Dashboard.Features.Shared;

/// <summary>The accounts an account picker offers, found by name, e-mail or id.</summary>
public static class AccountChoices
{
    /// <summary>
    /// The choice that selects events no account was attributed to; the event log's filter
    /// (<c>EventFilter.Unattributed</c>) and the counters' empty account key mean the same.
    /// </summary>
    public const string Unattributed = "(unattributed)";

    /// <summary>The known accounts and "unattributed", sorted, plus the current choice if it is neither.</summary>
    public static IReadOnlyList<string> For(IEnumerable<string> known, string? current)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var choices = known.Append(Unattributed).Where(k => !string.IsNullOrWhiteSpace(k) && seen.Add(k)).ToList();
        if (!string.IsNullOrWhiteSpace(current) && seen.Add(current)) choices.Add(current);
        choices.Sort(StringComparer.Ordinal);
        return choices;
    }

    /// <summary>
    /// The account ids whose name, e-mail or id contains <paramref name="text"/> (all of them for no text),
    /// named accounts first by name, then the rest by id; "unattributed" when the text fits it too.
    /// </summary>
    public static IReadOnlyList<string> Search(IEnumerable<AccountName> known, string? text)
    {
        var found = known
            .Where(a => !string.IsNullOrWhiteSpace(a.AccountId) && a.Matches(text))
            .DistinctBy(a => a.AccountId, StringComparer.Ordinal)
            .OrderBy(a => a.IsNamed ? 0 : 1)
            .ThenBy(a => a.Text, StringComparer.OrdinalIgnoreCase)
            .ThenBy(a => a.AccountId, StringComparer.Ordinal)
            .Select(a => a.AccountId)
            .ToList();
        if (string.IsNullOrWhiteSpace(text) || Unattributed.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)) found.Add(Unattributed);
        return found;
    }

    /// <summary>The known accounts, plus <paramref name="current"/> (e.g. from a link) when it is an id not among them.</summary>
    public static IReadOnlyList<AccountName> WithCurrent(IReadOnlyList<AccountName> known, string? current) =>
        string.IsNullOrWhiteSpace(current) || current == Unattributed || known.Any(a => a.AccountId == current)
            ? known
            : [.. known, AccountName.IdOnly(current)];

    /// <summary>What a picker shows for a chosen id: the name and e-mail when known.</summary>
    public static string Describe(string? accountId, IReadOnlyDictionary<string, AccountName> names) => accountId switch
    {
        null or "" => "",
        Unattributed => "Unattributed events",
        _ => names.TryGetValue(accountId, out var name) ? name.LongText : accountId,
    };
}
