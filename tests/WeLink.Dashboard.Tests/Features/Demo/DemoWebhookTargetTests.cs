using WeLink.Dashboard.Features.Demo;

namespace WeLink.Dashboard.Tests.Features.Demo;

public class DemoWebhookTargetTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/webhooks/welink")]
    [InlineData("http://localhost:5000", "http://localhost:5000/webhooks/welink")]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000/webhooks/welink")]
    [InlineData("http://[::]:5000", "http://[::1]:5000/webhooks/welink")]
    [InlineData("http://+:5000", "http://127.0.0.1:5000/webhooks/welink")]
    [InlineData("http://*:5000", "http://127.0.0.1:5000/webhooks/welink")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/webhooks/welink")]
    public void Choose_OneAddress_WebhookUrlThroughLoopback(string address, string expected) =>
        Assert.Equal(new Uri(expected), DemoWebhookTarget.Choose([address]));

    [Fact]
    public void Choose_HttpsAndHttp_PrefersHttp() =>
        Assert.Equal(new Uri("http://127.0.0.1:5000/webhooks/welink"), DemoWebhookTarget.Choose(["https://127.0.0.1:5001", "http://127.0.0.1:5000"]));

    [Fact]
    public void Choose_HttpsOnly_UsesHttps() =>
        Assert.Equal(new Uri("https://localhost:5001/webhooks/welink"), DemoWebhookTarget.Choose(["https://localhost:5001"]));

    [Theory]
    [InlineData("")]
    [InlineData(" |not a url|unix:/tmp/kestrel.sock")]
    public void Choose_NoUsableAddress_Throws(string addresses) =>
        Assert.Throws<InvalidOperationException>(() => DemoWebhookTarget.Choose(addresses.Length == 0 ? [] : addresses.Split('|')));
}
