namespace WeLink.Dashboard.Features.Shared;

/// <summary>The accounts an account picker offers.</summary>
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
}
