namespace WeLink.Testing;

/// <summary>
/// The private Redis that <c>./run-tests.sh</c> starts and names in <see cref="ServerVariable"/>, with a
/// channel and key prefix of this test's own, so tests running side by side never see each other's live
/// changes, hub messages or data-protection keys (the server is thrown away with the run).
/// Without the variable the constructor throws, so a Redis test run by plain <c>dotnet test</c> fails and
/// says why instead of passing or skipping unseen.
/// </summary>
public sealed class RedisTestServer
{
    public const string ServerVariable = "WELINK_TEST_REDIS";

    public RedisTestServer() : this(Environment.GetEnvironmentVariable(ServerVariable))
    {
    }

    public RedisTestServer(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{ServerVariable} is not set. The two-instance tests need the private Redis that ./run-tests.sh starts: " +
                "run ./run-tests.sh (e.g. ./run-tests.sh --filter TwoInstances), not dotnet test directly.");
        Configuration = server;
        ChannelPrefix = "welink-test-" + Guid.NewGuid().ToString("N")[..16];
    }

    /// <summary>The StackExchange.Redis configuration string (host:port).</summary>
    public string Configuration { get; }

    public string ChannelPrefix { get; }

    /// <summary>Settings that put a <see cref="DashboardApp"/> on this Redis, beside the other instances of this test.</summary>
    public Dictionary<string, string?> DashboardSettings() => new()
    {
        ["Redis:Configuration"] = Configuration,
        ["Redis:ChannelPrefix"] = ChannelPrefix,
    };

    /// <summary>Two instances: the same PostgreSQL database and this Redis.</summary>
    public Dictionary<string, string?> DashboardSettings(PostgresTestDatabase database)
    {
        var settings = database.DashboardSettings();
        foreach (var (key, value) in DashboardSettings()) settings[key] = value;
        return settings;
    }
}
