using Bunit;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Components.Shared;

namespace WeLink.Dashboard.Tests.Components;

public class LiveComponentBaseTests : DashboardComponentTest
{
    private sealed class ReloadCounter : LiveComponentBase
    {
        private int _reloads;

        public int Reloads => Volatile.Read(ref _reloads);
        public bool Held => ReloadHeldWhileDown;

        protected override TimeSpan LiveReloadGap => TimeSpan.FromMilliseconds(10);

        protected override Task OnLiveChangeAsync()
        {
            Interlocked.Increment(ref _reloads);
            return Task.CompletedTask;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddContent(0, Reloads);
    }

    private static string Connection(int i) => $$$"""{"status":"SUCCESS","request_id":"c{{{i}}}","result":{"connected":true}}""";

    [Fact]
    public async Task LiveChange_BrowserDisconnected_HeldUntilItReconnects_ThenOneReload()
    {
        var connection = Context.Services.GetRequiredService<CircuitConnection>();
        var handler = new CircuitConnectionHandler(connection);
        var cut = Context.Render<ReloadCounter>();
        await IngestAsync(Connection(0), "CONNECTION_SENT", "acc-1");
        cut.WaitForAssertion(() => Assert.True(cut.Instance.Reloads >= 1), WaitTimeout);

        await handler.OnConnectionDownAsync(null!, CancellationToken.None);
        var before = cut.Instance.Reloads;
        for (var i = 1; i <= 3; i++) await IngestAsync(Connection(i), "CONNECTION_SENT", "acc-1");

        // The throttled reload came due while the browser was away and was held, not run.
        await WaitUntilAsync(() => cut.Instance.Held);
        Assert.Equal(before, cut.Instance.Reloads);
        Assert.False(connection.IsUp);

        await handler.OnConnectionUpAsync(null!, CancellationToken.None);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(before + 1, cut.Instance.Reloads);
            Assert.False(cut.Instance.Held);
        }, WaitTimeout);
    }

    [Fact]
    public async Task LiveChange_BrowserConnected_ReloadsWithoutHolding()
    {
        var cut = Context.Render<ReloadCounter>();

        await IngestAsync(Connection(0), "CONNECTION_SENT", "acc-1");

        cut.WaitForAssertion(() => Assert.True(cut.Instance.Reloads >= 1), WaitTimeout);
        Assert.False(cut.Instance.Held);
    }
}
