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

    public bool IsUp => _up;

    /// <summary>Raised when the browser reconnects after the connection went down.</summary>
    public event Action? CameBack;

    internal void Set(bool up)
    {
        var was = _up;
        _up = up;
        if (up && !was) CameBack?.Invoke();
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
