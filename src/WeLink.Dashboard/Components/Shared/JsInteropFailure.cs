using Microsoft.JSInterop;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// How a call into the browser can fail without anything being wrong on the server: the script threw,
/// the browser went away, the call timed out (a busy or backgrounded tab), or there is no browser yet
/// (prerendering). Every interop call site catches these, so a slow tab never kills the circuit.
/// </summary>
public static class JsInteropFailure
{
    public static bool IsExpected(Exception exception) =>
        exception is JSException or JSDisconnectedException or OperationCanceledException or InvalidOperationException or ObjectDisposedException;
}
