using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// Sums the ingest instruments (<see cref="IngestMetrics"/>) and Kestrel's request durations in the
/// process, for <c>GET /bench/profile</c>: the benchmark reads the totals before and after a window
/// and divides by the events stored in it (<c>bench/profile.sh</c>). Only with the benchmark
/// endpoints on; a deployment reads the same instruments with its own exporter.
/// </summary>
public sealed class IngestProfile : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string RequestDuration = "http.server.request.duration";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Tag), Total> _totals = new();

    public IngestProfile()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter.Name == IngestMetrics.MeterName && instrument is Counter<double> or Counter<long>)
                || (instrument.Meter.Name == HostingMeter && instrument.Name == RequestDuration))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? tag = null;
        foreach (var (key, tagValue) in tags)
        {
            // Ours carry one tag; Kestrel's durations are told apart by route.
            if (key is "stage" or "statement" or "operation" or "http.route") tag = tagValue as string;
        }
        if (instrument.Name == RequestDuration) value *= 1000; // seconds → ms
        var total = _totals.GetOrAdd((instrument.Name, tag), _ => new Total());
        lock (total)
        {
            total.Sum += value;
            total.Count++;
        }
    }

    /// <summary>Every total so far: instrument, tag, sum (ms, or a count for counting instruments) and measurements.</summary>
    public IReadOnlyList<ProfileTotal> Snapshot() => _totals
        .Select(t =>
        {
            lock (t.Value) return new ProfileTotal(t.Key.Instrument, t.Key.Tag, t.Value.Sum, t.Value.Count);
        })
        .OrderBy(t => t.Instrument, StringComparer.Ordinal).ThenBy(t => t.Tag, StringComparer.Ordinal).ToList();

    public void Dispose() => _listener.Dispose();

    private sealed class Total
    {
        public double Sum;
        public long Count;
    }
}

public sealed record ProfileTotal(string Instrument, string? Tag, double Sum, long Count);
