using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeLink.Dashboard.Live;

/// <summary>
/// The one Redis connection of this process, shared by the hub's backplane, the live relay and the
/// data-protection keys; null <see cref="Multiplexer"/> when <c>Redis:Configuration</c> is empty.
/// Connected when first needed, never failing the start: a Redis that is down (at start or later) is
/// retried in the background, and each outage is logged once, with the server's address only.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly RedisOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<IConnectionMultiplexer?> _multiplexer;
    private int _down;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _options = options.Value;
        _logger = logger;
        _multiplexer = new Lazy<IConnectionMultiplexer?>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool Enabled => _options.Enabled;

    public string ChannelPrefix => _options.ChannelPrefix;

    /// <summary>This process, as the live relay names it to the other instances.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public IConnectionMultiplexer? Multiplexer => _multiplexer.Value;

    /// <summary>Whether an outage is under way (logged, not yet over).</summary>
    public bool Down => Volatile.Read(ref _down) == 1;

    private IConnectionMultiplexer? Connect()
    {
        if (!_options.Enabled) return null;
        var configuration = ConfigurationOptions.Parse(_options.Configuration);
        // A Redis that is down at start must not stop the dashboard: keep trying in the background.
        configuration.AbortOnConnectFail = false;
        // While Redis is away, fail at once instead of queueing: no caller (ingest's relay, the hub) waits on it.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "welink-dashboard";
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        multiplexer.ConnectionFailed += (_, e) => ReportOutage(e.EndPoint, e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) => ReportRestored(e.EndPoint);
        if (!multiplexer.IsConnected) ReportOutage(configuration.EndPoints.FirstOrDefault(), "not connected at start");
        return multiplexer;
    }

    /// <summary>Logs the start of an outage once, however many connections or commands fail during it.</summary>
    public void ReportOutage(System.Net.EndPoint? endPoint, string what)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
            _logger.LogWarning("Redis at {EndPoint} is unreachable ({Failure}): live updates from other instances pause; this instance keeps storing and showing its own", endPoint?.ToString() ?? "?", what);
    }

    private void ReportRestored(System.Net.EndPoint? endPoint)
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
            _logger.LogInformation("Redis at {EndPoint} answers again", endPoint?.ToString() ?? "?");
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated) _multiplexer.Value?.Dispose();
    }
}
