namespace WeLink.Dashboard.Bench;

/// <summary>Latency samples in milliseconds and their percentiles.</summary>
public sealed class Latencies
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _samples.Count; } }

    public void Add(double ms) { lock (_gate) _samples.Add(ms); }

    public void AddRange(IEnumerable<double> ms) { lock (_gate) _samples.AddRange(ms); }

    public double[] All() { lock (_gate) return [.. _samples]; }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_samples.Count == 0) return double.NaN;
            var sorted = _samples.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }
}

public static class Format
{
    public static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms < 10 ? ms.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    public static string Num(double value, string format = "N0") => value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
