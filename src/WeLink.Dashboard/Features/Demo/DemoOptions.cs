namespace WeLink.Dashboard.Features.Demo;

/// <summary>The <c>Demo</c> section: how much simulated traffic the demo makes. Read only with <c>--demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Most events a second at which simulated webhooks are posted.</summary>
    public const double MaxEventsPerSecond = 5;

    /// <summary>
    /// Simulated actions (each one webhook) a second for the whole fleet. The default keeps every account
    /// under We-Link's 100 actions an hour (<c>Gateway:ActionsPerHour</c>): 0.25/s over 12 accounts, taken
    /// in turn, is 75 an hour each, plus at most 10 PIN logins (one every 30 s, in turn) = 85.
    /// </summary>
    public double EventsPerSecond { get; set; } = 0.25;

    /// <summary>Simulated LinkedIn accounts <c>acc-001</c> to <c>acc-{Accounts}</c>.</summary>
    public int Accounts { get; set; } = 12;

    /// <summary>How often a simulated login asks for a PIN (while fewer than <see cref="MaxPendingPins"/> wait).</summary>
    public TimeSpan PinLoginInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most demo PIN requests waiting for an operator at once.</summary>
    public int MaxPendingPins { get; set; } = 3;

    /// <summary>Gateway calls each account makes in an hour at this pace: its turn of the actions and of the PIN logins.</summary>
    public double ActionsPerAccountPerHour => (EventsPerSecond * 3600 + 3600 / PinLoginInterval.TotalSeconds) / Accounts;

    public IEnumerable<string> Validate()
    {
        if (!(EventsPerSecond > 0 && EventsPerSecond <= MaxEventsPerSecond))
            yield return $"Demo:EventsPerSecond must be above 0 and at most {MaxEventsPerSecond}.";
        if (Accounts is < 1 or > 999) yield return "Demo:Accounts must be from 1 to 999.";
        if (PinLoginInterval < TimeSpan.FromSeconds(1)) yield return "Demo:PinLoginInterval must be at least one second.";
        if (MaxPendingPins is < 0 or > 50) yield return "Demo:MaxPendingPins must be from 0 to 50.";
    }
}
