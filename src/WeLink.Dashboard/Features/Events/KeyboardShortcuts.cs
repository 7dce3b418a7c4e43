using Microsoft.JSInterop;

namespace WeLink.Dashboard.Features.Events;

/// <summary>
/// A page's keyboard shortcuts: registers a keydown listener in dashboard.js (which ignores keys
/// typed into inputs, except Esc) and forwards the listed keys. The callback runs off the renderer:
/// a page wraps it in <c>InvokeAsync</c>.
/// </summary>
public sealed class KeyboardShortcuts(IJSRuntime js) : IDisposable
{
    private DotNetObjectReference<KeyboardShortcuts>? _self;
    private Func<string, Task>? _onKey;
    private int? _id;

    /// <summary>Call after the first render; without a browser (prerendering, tests) the page just has no shortcuts.</summary>
    public async Task RegisterAsync(IReadOnlyList<string> keys, Func<string, Task> onKey)
    {
        _onKey = onKey;
        _self ??= DotNetObjectReference.Create(this);
        try
        {
            _id = await js.InvokeAsync<int?>("welinkDashboard.registerShortcuts", _self, keys);
        }
        catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
        {
            // No shortcuts on this page view; everything they do has a button too.
        }
    }

    [JSInvokable]
    public Task OnShortcutAsync(string key) => _onKey?.Invoke(key) ?? Task.CompletedTask;

    public void Dispose()
    {
        _onKey = null;
        if (_id is { } id) _ = UnregisterAsync(id);
        else _self?.Dispose();
    }

    private async Task UnregisterAsync(int id)
    {
        try
        {
            await js.InvokeVoidAsync("welinkDashboard.unregisterShortcuts", id);
        }
        catch (Exception ex) when (Components.Shared.JsInteropFailure.IsExpected(ex))
        {
            // The browser is gone: nothing to unregister.
        }
        finally
        {
            _self?.Dispose();
        }
    }
}
