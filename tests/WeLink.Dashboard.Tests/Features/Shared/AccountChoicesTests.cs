using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.Tests.Features.Shared;

public class AccountChoicesTests
{
    [Fact]
    public void Unattributed_SameAsEventLogFilter_LinksFromStatsPagesSelectTheSameEvents()
    {
        Assert.Equal(EventFilter.Unattributed, AccountChoices.Unattributed);
    }

    [Fact]
    public void For_KnownAndCurrent_SortedWithUnattributedAndNoDuplicates()
    {
        var choices = AccountChoices.For(["b", "a", "b", " "], "typed");
        Assert.Equal(["(unattributed)", "a", "b", "typed"], choices);
    }

    [Fact]
    public void AccountKey_Unattributed_IsTheCountersEmptyKey()
    {
        Assert.Equal("", CounterRange.AccountKey(AccountChoices.Unattributed));
        Assert.Equal("acc-1", CounterRange.AccountKey("acc-1"));
        Assert.Null(CounterRange.AccountKey(null));
    }

    private static readonly AccountName[] Fleet =
    [
        new("6df95e3c-b9a6-42b6-0001", "Priya Kowalski", "priya@example.com"),
        new("7aa0-0002", null, "ops@fleet.example"),
        new("9bb0-0003"),
    ];

    [Theory]
    [InlineData("priya", "6df95e3c-b9a6-42b6-0001")]
    [InlineData("KOWAL", "6df95e3c-b9a6-42b6-0001")]
    [InlineData("ops@fleet", "7aa0-0002")]
    [InlineData("b9a6-42b6", "6df95e3c-b9a6-42b6-0001")]
    [InlineData("9bb0", "9bb0-0003")]
    public void Search_ByNameEmailOrIdPart_FindsOnlyThatAccount(string text, string expected)
    {
        Assert.Equal([expected], AccountChoices.Search(Fleet, text));
    }

    [Fact]
    public void Search_NoText_NamedFirstThenIdsThenUnattributed()
    {
        Assert.Equal(["7aa0-0002", "6df95e3c-b9a6-42b6-0001", "9bb0-0003", AccountChoices.Unattributed], AccountChoices.Search(Fleet, ""));
    }

    [Fact]
    public void Search_Unattributed_OfferedWhenTyped()
    {
        Assert.Equal([AccountChoices.Unattributed], AccountChoices.Search(Fleet, "unattr"));
    }

    [Fact]
    public void Describe_KnownUnknownAndUnattributed_NameAndEmailOrId()
    {
        var byId = Fleet.ToDictionary(a => a.AccountId);
        Assert.Equal("Priya Kowalski (priya@example.com)", AccountChoices.Describe("6df95e3c-b9a6-42b6-0001", byId));
        Assert.Equal("ops@fleet.example", AccountChoices.Describe("7aa0-0002", byId));
        Assert.Equal("typed-id", AccountChoices.Describe("typed-id", byId));
        Assert.Equal("Unattributed events", AccountChoices.Describe(AccountChoices.Unattributed, byId));
    }

    [Fact]
    public void WithCurrent_LinkedIdNotKnown_AddedByIdOnce()
    {
        Assert.Equal(4, AccountChoices.WithCurrent(Fleet, "from-a-link").Count);
        Assert.Same(Fleet, AccountChoices.WithCurrent(Fleet, "9bb0-0003"));
        Assert.Same(Fleet, AccountChoices.WithCurrent(Fleet, AccountChoices.Unattributed));
    }
}
