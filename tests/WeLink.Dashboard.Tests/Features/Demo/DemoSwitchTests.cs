using WeLink.Dashboard.Features.Demo;

namespace WeLink.Dashboard.Tests.Features.Demo;

public class DemoSwitchTests
{
    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("--demo")]
    [InlineData("--DEMO")]
    [InlineData("--urls http://127.0.0.1:5001 --demo")]
    [InlineData("--demo=true")]
    [InlineData("--demo=false --demo")]
    public void IsOn_SwitchGiven_True(string args) => Assert.True(DemoSwitch.IsOn(Split(args)));

    [Theory]
    [InlineData("")]
    [InlineData("--demo=false")]
    [InlineData("--demos")]
    [InlineData("--demo-mode")]
    [InlineData("demo")]
    [InlineData("--Demo:Enabled=true")]
    [InlineData("--environment=Development --applicationName=WeLink.Dashboard")]
    public void IsOn_NoSwitch_False(string args) => Assert.False(DemoSwitch.IsOn(Split(args)));

    [Theory]
    [InlineData("--demo=yes")]
    [InlineData("--demo=")]
    [InlineData("--demo=1")]
    public void IsOn_SwitchWithOtherValue_ThrowsNamingTheValue(string arg)
    {
        var error = Assert.Throws<ArgumentException>(() => DemoSwitch.IsOn([arg]));
        Assert.Contains("--demo", error.Message);
    }

    [Fact]
    public void Remove_SwitchBeforeUrls_KeepsTheUrlsForAspNetCore()
    {
        // ASP.NET Core's parser would take "--urls" as the value of a bare "--demo" and lose the address.
        Assert.Equal(["--urls", "http://127.0.0.1:5001"], DemoSwitch.Remove(["--demo", "--urls", "http://127.0.0.1:5001"]));
        Assert.Equal(["--urls=http://x:1"], DemoSwitch.Remove(["--DEMO=true", "--urls=http://x:1", "--demo=false"]));
        Assert.Equal(["--demos"], DemoSwitch.Remove(["--demos"]));
    }
}
