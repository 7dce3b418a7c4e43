using WeLink.Dashboard.Components.Shared;

namespace WeLink.Dashboard.Tests.Components;

public class KeptRowsTests
{
    private sealed record Row(string Id, long Count, IReadOnlyList<string> Flags);

    [Fact]
    public void Update_SameKeysWithNewRows_SameHoldersInTheNewOrderWithTheNewRows()
    {
        var kept = new KeptRows<string, Row>(r => r.Id);
        var first = kept.Update([new Row("a", 1, []), new Row("b", 1, [])]);

        var b = new Row("b", 2, ["new list"]);
        var a = new Row("a", 2, ["new list"]);
        var second = kept.Update([b, a]);

        Assert.Same(first[1], second[0]);
        Assert.Same(first[0], second[1]);
        Assert.Same(b, second[0].Row);
        Assert.Same(a, second[1].Row);
    }

    [Fact]
    public void Update_KeyGoneThenBack_GetsANewHolder()
    {
        var kept = new KeptRows<string, Row>(r => r.Id);
        var first = kept.Update([new Row("a", 1, []), new Row("b", 1, [])]);
        var second = kept.Update([new Row("b", 1, [])]);
        var third = kept.Update([new Row("a", 1, []), new Row("b", 1, [])]);

        Assert.Same(first[1], second[0]);
        Assert.NotSame(first[0], third[0]);
        Assert.Same(first[1], third[1]);
    }

    [Fact]
    public void Update_KeyListedTwice_EachRowHasItsOwnHolder()
    {
        var kept = new KeptRows<string, Row>(r => r.Id);
        var first = kept.Update([new Row("a", 1, [])]);
        var second = kept.Update([new Row("a", 2, []), new Row("a", 3, [])]);

        Assert.Same(first[0], second[0]);
        Assert.NotSame(second[0], second[1]);
        Assert.Equal([2L, 3L], second.Select(h => h.Row.Count));
    }
}
