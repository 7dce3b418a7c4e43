using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// In the layout: tells the circuit's <see cref="CircuitConnection"/> whether the browser's tab is shown, so live
/// pages in a background tab hold their reloads. Renders nothing.
/// </summary>
public sealed class PageVisibility : ComponentBase, IDisposable
{
    private DotNetObjectReference<PageVisibility>? _reference;

    [Inject] private CircuitConnection Connection { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _reference = DotNetObjectReference.Create(this);
        try
        {
            SetVisible(await JS.InvokeAsync<bool>("welinkDashboard.watchVisibility", Connection.WhileUp, _reference));
        }
        catch (Exception ex) when (JsInteropFailure.IsExpected(ex))
        {
            // The browser went away: it says again on the next page it opens. Until then pages count as shown.
        }
    }

    /// <summary>Called by the browser when the tab is hidden or shown.</summary>
    [JSInvokable]
    public void SetVisible(bool visible) => Connection.SetVisible(visible);

    public void Dispose() => _reference?.Dispose();
}
