using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// Whether this circuit's browser is connected. A circuit outlives its connection for a while (a closed
/// laptop, a dropped network, a tab closed without unloading): its live pages then pause their reloads,
/// which nobody would see and whose JavaScript calls would only wait for their timeout, and reload once
/// when the browser comes back.
/// </summary>
public sealed class CircuitConnection
{
    private volatile bool _up = true;
    private volatile bool _visible = true;
    private volatile CancellationTokenSource _whileUp = new();

    public bool IsUp => _up;

    /// <summary>
    /// Whether the browser's tab is showing the dashboard (<see cref="PageVisibility"/> keeps it current). An operator
    /// keeps several tabs open and looks at one: pages in the others hold their reloads until shown.
    /// </summary>
    public bool IsVisible => _visible;

    /// <summary>Raised when the tab is shown again after it was hidden.</summary>
    public event Action? Shown;

    /// <summary>
    /// Cancelled when the connection goes down: a JavaScript call made with it ends then, instead of waiting
    /// for the interop timeout (a minute) for a browser that is gone. A new token is issued once it is back.
    /// </summary>
    public CancellationToken WhileUp => _whileUp.Token;

    /// <summary>Raised when the browser reconnects after the connection went down.</summary>
    public event Action? CameBack;

    internal void Set(bool up)
    {
        var was = _up;
        _up = up;
        // Not disposed: a call may still hold the old token, and a source without a timer holds nothing to free.
        if (!up && was) _whileUp.Cancel();
        if (up && !was)
        {
            _whileUp = new CancellationTokenSource();
            CameBack?.Invoke();
        }
    }

    internal void SetVisible(bool visible)
    {
        var was = _visible;
        _visible = visible;
        if (visible && !was) Shown?.Invoke();
    }
}

/// <summary>Keeps the circuit's <see cref="CircuitConnection"/> current.</summary>
public sealed class CircuitConnectionHandler(CircuitConnection connection) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Set(false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Set(true);
        return Task.CompletedTask;
    }
}
