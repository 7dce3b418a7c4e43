namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// Sends the in-process fake We-Link API's log lines to the dashboard's own logging (Serilog), so the
/// console shows one format. The fake API starts before the dashboard's logging exists: lines written
/// before <see cref="Attach"/> are dropped (there are none in practice: it only logs when called).
/// </summary>
internal sealed class DemoLogForwarder : ILoggerProvider
{
    private volatile ILoggerFactory? _target;

    public void Attach(ILoggerFactory target) => _target = target;

    public ILogger CreateLogger(string categoryName) => new Forwarding(this, "Demo." + categoryName);

    public void Dispose() => _target = null;

    private sealed class Forwarding(DemoLogForwarder owner, string category) : ILogger
    {
        private ILogger? Target => owner._target?.CreateLogger(category);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Target?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Target?.IsEnabled(logLevel) ?? false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Target?.Log(logLevel, eventId, state, exception, formatter);
    }
}
