using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Features.Pins;

namespace WeLink.Dashboard.Tests.Features.Pins;

/// <summary>The counts and lookups every open page's PIN badge uses instead of reading every waiting request.</summary>
public class PinQueriesTests : WeLinkApiComponentTest
{
    private PinQueries Pins => Context.Services.GetRequiredService<PinQueries>();

    [Fact]
    public async Task CountsAsync_WaitingAnsweredAndSubmitted_CountsEachAndTheOldestWaiting()
    {
        Assert.Equal(new PinCounts(0, 0, null), await Pins.CountsAsync(CancellationToken.None));

        await PinRequiredAsync("r-1", "acc-1");
        await PinRequiredAsync("r-2", "acc-2");
        await PinRequiredAsync("r-3", "acc-3");
        await LoginSucceededAsync("r-1");

        var counts = await Pins.CountsAsync(CancellationToken.None);
        var pending = await Pins.PendingAsync(CancellationToken.None);
        Assert.Equal(2, counts.Waiting);
        Assert.Equal(0, counts.Submitted);
        Assert.Equal(pending.Single(r => r.RequestId == "r-2").RequestedAt, counts.OldestWaitingAt);
        Assert.Equal(["r-2"], (await Pins.OldestWaitingAsync(1, CancellationToken.None)).Select(r => r.RequestId));
        Assert.Equal(["r-2", "r-3"], (await Pins.PendingAsync(CancellationToken.None, limit: 5)).Select(r => r.RequestId));
    }

    [Fact]
    public async Task StillWaitingAsync_OnlyTheAskedRequestsAndAccountsThatStillWait()
    {
        await PinRequiredAsync("r-1", "acc-1");
        await PinRequiredAsync("r-2", "acc-2");
        await PinRequiredAsync("r-3", "acc-3");
        await LoginSucceededAsync("r-2");

        var still = await Pins.StillWaitingAsync(["r-1", "r-2", "r-unknown"], ["acc-3"], CancellationToken.None);

        Assert.Equal(["r-1", "r-3"], still.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.Empty(await Pins.StillWaitingAsync([], [], CancellationToken.None));
    }
}
