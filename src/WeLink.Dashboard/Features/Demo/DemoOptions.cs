namespace WeLink.Dashboard.Features.Demo;

/// <summary>The <c>Demo</c> section: how much simulated traffic the demo makes. Read only with <c>--demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Most events a second at which simulated webhooks are posted.</summary>
    public const double MaxEventsPerSecond = 5;

    /// <summary>Simulated webhooks posted a second (a gentle pace a person can follow).</summary>
    public double EventsPerSecond { get; set; } = 2;

    /// <summary>Simulated LinkedIn accounts <c>acc-001</c> to <c>acc-{Accounts}</c>.</summary>
    public int Accounts { get; set; } = 12;

    /// <summary>How often a simulated login asks for a PIN (while fewer than <see cref="MaxPendingPins"/> wait).</summary>
    public TimeSpan PinLoginInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most demo PIN requests waiting for an operator at once.</summary>
    public int MaxPendingPins { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (!(EventsPerSecond > 0 && EventsPerSecond <= MaxEventsPerSecond))
            yield return $"Demo:EventsPerSecond must be above 0 and at most {MaxEventsPerSecond}.";
        if (Accounts is < 1 or > 999) yield return "Demo:Accounts must be from 1 to 999.";
        if (PinLoginInterval < TimeSpan.FromSeconds(1)) yield return "Demo:PinLoginInterval must be at least one second.";
        if (MaxPendingPins is < 0 or > 50) yield return "Demo:MaxPendingPins must be from 0 to 50.";
    }
}
