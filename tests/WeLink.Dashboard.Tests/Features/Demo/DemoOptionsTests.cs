using WeLink.Dashboard.Features.Demo;

namespace WeLink.Dashboard.Tests.Features.Demo;

public class DemoOptionsTests
{
    [Fact]
    public void Validate_Defaults_GentleAndValid()
    {
        var options = new DemoOptions();
        Assert.Empty(options.Validate());
        Assert.InRange(options.EventsPerSecond, 0.1, DemoOptions.MaxEventsPerSecond);
    }

    [Fact]
    public void ActionsPerAccountPerHour_Defaults_UnderWeLinksHourlyBudget()
    {
        var pace = new DemoOptions().ActionsPerAccountPerHour;
        Assert.InRange(pace, 1, new WeLink.Dashboard.Features.Gateway.GatewayOptions().ActionsPerHour * 0.9);
        // 2/s over 12 accounts (the pace before) was 600 calls an hour each: the measure itself sees that.
        Assert.True(new DemoOptions { EventsPerSecond = 2 }.ActionsPerAccountPerHour > 600);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(5.5)]
    [InlineData(1000)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_RateOutOfRange_NamesTheKey(double rate) =>
        Assert.Contains(new DemoOptions { EventsPerSecond = rate }.Validate(), p => p.Contains("Demo:EventsPerSecond"));

    [Fact]
    public void Validate_OtherValuesOutOfRange_NamesEachKey()
    {
        var problems = new DemoOptions { Accounts = 0, PinLoginInterval = TimeSpan.Zero, MaxPendingPins = -1 }.Validate().ToList();
        Assert.Contains(problems, p => p.Contains("Demo:Accounts"));
        Assert.Contains(problems, p => p.Contains("Demo:PinLoginInterval"));
        Assert.Contains(problems, p => p.Contains("Demo:MaxPendingPins"));
    }
}
