using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeLink.Dashboard.Live;

/// <summary>
/// <c>Redis</c>: what lets two or more dashboard processes behind one URL act as one (the hub's
/// backplane, each other's live changes, shared data-protection keys). Empty <see cref="Configuration"/>:
/// one instance, no Redis at all.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379,password=...</c>). It may hold a password: never logged.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every channel and key the dashboard uses, so instances of another dashboard on the same Redis stay apart.</summary>
    public string ChannelPrefix { get; set; } = "welink-dashboard";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}

public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix) || options.ChannelPrefix.Any(char.IsWhiteSpace))
            failures.Add("Redis:ChannelPrefix must be a word without spaces (e.g. welink-dashboard).");
        if (options.Enabled)
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                    failures.Add("Redis:Configuration names no server (e.g. 127.0.0.1:6379).");
            }
            catch (Exception ex) when (ex is ArgumentException or RedisConnectionException)
            {
                // The message would quote the string, which may hold a password: say only that it is wrong.
                failures.Add("Redis:Configuration is not a valid StackExchange.Redis configuration string (e.g. 127.0.0.1:6379,password=...).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
