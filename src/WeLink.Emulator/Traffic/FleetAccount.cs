using System.Text.Json.Nodes;

namespace WeLink.Emulator.Traffic;

/// <summary>
/// One simulated LinkedIn account linked to We-Link. Account <c>n</c> is the same person in the
/// traffic sender and the fake REST API, so ids, e-mails and profile ids line up across both.
/// </summary>
public sealed record FleetAccount(
    string AccountId,
    string Email,
    string ProfileId,
    string FirstName,
    string LastName,
    string PublicIdentifier,
    bool Premium,
    string Occupation)
{
    private static readonly string[] FirstNames =
        ["Zoë", "José", "Łukasz", "Søren", "Ангелина", "Amélie", "Jürgen", "Ana", "Sinéad", "Çağla", "Noah", "Yūki", "Maëlle", "Björn", "Priya"];

    private static readonly string[] LastNames =
        ["Müller", "Núñez", "Dvořák", "O'Brien", "Øster", "Смирнова", "García", "Lefèvre", "Kowalski", "Şahin", "Brown", "田中", "Ní Bhriain", "Åberg", "Nair"];

    private static readonly string[] Occupations =
        ["Head of Growth", "Account Executive", "Recruiter — Tech", "Founder & CEO", "Sales Development Representative", "Marketing Manager", "Partner at Nordlys Capital"];

    /// <summary>The <paramref name="number"/>-th account (1-based): <c>acc-001</c>, <c>acc-001@example.test</c>, ...</summary>
    public static FleetAccount Create(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var id = $"acc-{number:D3}";
        var first = FirstNames[(number - 1) % FirstNames.Length];
        var last = LastNames[(number * 7 + 3) % LastNames.Length];
        return new FleetAccount(
            AccountId: id,
            Email: id + "@example.test",
            ProfileId: $"ACoAAD{number:D6}Fk{(char)('a' + number % 26)}Q",
            FirstName: first,
            LastName: last,
            PublicIdentifier: $"{Slug(first)}-{Slug(last)}-{number:D3}",
            Premium: number % 3 == 0,
            Occupation: Occupations[number % Occupations.Length]);
    }

    /// <summary>Accounts <c>acc-001</c> to <c>acc-{count}</c>.</summary>
    public static IReadOnlyList<FleetAccount> CreateFleet(int count) =>
        Enumerable.Range(1, count).Select(Create).ToArray();

    /// <summary>The <c>result</c> of a <c>LOGIN_SUCCESS</c> webhook for this account, in We-Link's field order.</summary>
    public JsonObject ToLoginResult() => new()
    {
        ["first_name"] = FirstName,
        ["last_name"] = LastName,
        ["profile_id"] = ProfileId,
        ["public_identifier"] = PublicIdentifier,
        ["premium"] = Premium,
        ["occupation"] = Occupation,
        ["email"] = Email,
    };

    private static string Slug(string name)
    {
        var ascii = new string(name.Normalize(System.Text.NormalizationForm.FormD)
            .Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
        return ascii.Length > 0 ? ascii : "member";
    }
}
