namespace WeLink.Dashboard.Features.Pins;

/// <summary>
/// The number of PIN requests waiting, as this circuit's app bar last read it. The PIN alerts read it on each PIN
/// change and the navigation's badge follows: one query and one moment of rendering per change and page, where the
/// badge used to run its own reload at its own time, a second query and a second render for the browser to apply.
/// </summary>
public sealed class PendingPinCount
{
    /// <summary>Null until read once on this circuit.</summary>
    public int? Waiting { get; private set; }

    /// <summary>Raised on the renderer when <see cref="Waiting"/> changes.</summary>
    public event Action? Changed;

    public void Set(int waiting)
    {
        if (Waiting == waiting) return;
        Waiting = waiting;
        Changed?.Invoke();
    }
}
