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
}
