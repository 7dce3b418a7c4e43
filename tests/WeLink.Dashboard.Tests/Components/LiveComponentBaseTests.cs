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

    /// <summary>Records when each reload ran; renders only while <see cref="Hold"/> is off, as a browser that never applies them.</summary>
    private sealed class TimedReloads : LiveComponentBase
    {
        private readonly List<TimeSpan> _reloadedAt = [];
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        public bool Hold { get; set; }
        public List<bool> AfterRenders { get; } = [];

        public int Reloads
        {
            get
            {
                lock (_reloadedAt) return _reloadedAt.Count;
            }
        }

        public TimeSpan GapBetween(int first, int second)
        {
            lock (_reloadedAt) return _reloadedAt[second] - _reloadedAt[first];
        }

        protected override TimeSpan LiveReloadGap => TimeSpan.FromMilliseconds(10);

        protected override bool ShouldRender() => !Hold;

        protected override Task OnLiveChangeAsync()
        {
            lock (_reloadedAt) _reloadedAt.Add(_clock.Elapsed);
            return Task.CompletedTask;
        }

        protected override void OnAfterRender(bool firstRender) => AfterRenders.Add(firstRender);

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

    [Fact]
    public async Task LiveChange_RenderAppliedByTheBrowser_NextReloadFollowsAtTheGap()
    {
        var cut = Context.Render<TimedReloads>();

        await IngestAsync(Connection(0), "CONNECTION_SENT", "acc-1");
        await WaitUntilAsync(() => cut.Instance.Reloads == 1);
        await IngestAsync(Connection(1), "CONNECTION_SENT", "acc-1");
        await WaitUntilAsync(() => cut.Instance.Reloads == 2);

        // The first reload's render was applied, which ended it: the second did not wait for the timeout.
        Assert.True(cut.Instance.GapBetween(0, 1) < LiveComponentBase.ShownTimeout / 2, $"gap {cut.Instance.GapBetween(0, 1)}");
        // The component's own after-render calls still come, the first marked as such.
        cut.WaitForAssertion(() => Assert.True(cut.Instance.AfterRenders.Count >= 3), WaitTimeout);
        Assert.True(cut.Instance.AfterRenders[0]);
        Assert.DoesNotContain(true, cut.Instance.AfterRenders.Skip(1));
    }

    [Fact]
    public async Task LiveChange_RenderNeverApplied_NextReloadWaitsForTheShownTimeout()
    {
        var cut = Context.Render<TimedReloads>();
        cut.Instance.Hold = true;

        await IngestAsync(Connection(0), "CONNECTION_SENT", "acc-1");
        await WaitUntilAsync(() => cut.Instance.Reloads == 1);
        await IngestAsync(Connection(1), "CONNECTION_SENT", "acc-1");
        await WaitUntilAsync(() => cut.Instance.Reloads == 2);

        // No render of the first reload reached the browser: the second waited for it, up to the timeout,
        // instead of sending another render on top of one not yet applied.
        var gap = cut.Instance.GapBetween(0, 1);
        Assert.True(gap >= LiveComponentBase.ShownTimeout - TimeSpan.FromMilliseconds(100), $"gap {gap}");
    }

    [Fact]
    public async Task LiveChange_TabHidden_HeldUntilShown_ThenOneReload()
    {
        Context.JSInterop.Setup<bool>("welinkDashboard.watchVisibility", _ => true).SetResult(true);
        var visibility = Context.Render<PageVisibility>();
        var cut = Context.Render<ReloadCounter>();
        await IngestAsync(Connection(0), "CONNECTION_SENT", "acc-1");
        cut.WaitForAssertion(() => Assert.True(cut.Instance.Reloads >= 1), WaitTimeout);

        // What the browser's script calls when the operator switches to another tab.
        await visibility.InvokeAsync(() => visibility.Instance.SetVisible(false));
        var before = cut.Instance.Reloads;
        for (var i = 1; i <= 3; i++) await IngestAsync(Connection(i), "CONNECTION_SENT", "acc-1");

        await WaitUntilAsync(() => cut.Instance.Held);
        Assert.Equal(before, cut.Instance.Reloads);

        await visibility.InvokeAsync(() => visibility.Instance.SetVisible(true));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(before + 1, cut.Instance.Reloads);
            Assert.False(cut.Instance.Held);
        }, WaitTimeout);
    }
}
