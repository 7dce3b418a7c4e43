namespace WeLink.Dashboard.Features.Events;

/// <summary>The values seen so far that the filter selects offer (<see cref="EventFilterChoiceQueries"/> loads them).</summary>
public sealed record EventFilterChoices(
    IReadOnlyList<string> Types,
    IReadOnlyList<Shared.AccountName> Accounts,
    IReadOnlyList<string> Statuses,
    IReadOnlyList<string> ErrorCodes)
{
    public static readonly EventFilterChoices Empty = new([], [], [], []);
}
