using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeLink.Dashboard.Live;

public static class RedisSetup
{
    /// <summary>
    /// <c>Redis:Configuration</c> set: the hub's Redis backplane, the live relay between instances (and,
    /// in <see cref="Hosting.SecuritySetup"/>, data-protection keys in Redis). Empty: one instance, as
    /// without this. Decided when the services are first resolved, from the bound options, so every
    /// configuration source counts.
    /// </summary>
    public static WebApplicationBuilder AddRedis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        services.AddSingleton<RedisConnection>();
        services.AddHostedService<RedisLiveRelay>();

        // The backplane for our hub only: Blazor's circuits stay on their own instance (sticky sessions).
        services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>()
            .Configure<RedisConnection>((signalR, redis) =>
            {
                if (!redis.Enabled) return;
                signalR.Configuration.ChannelPrefix = RedisChannel.Literal(redis.ChannelPrefix);
                // The first use connects, which may wait for the connect timeout: never on the caller's thread.
                signalR.ConnectionFactory = _ => Task.Run(() => redis.Multiplexer!);
            });
        services.AddSingleton<HubLifetimeManager<EventsHub>>(sp => sp.GetRequiredService<RedisConnection>().Enabled
            ? ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<EventsHub>>(sp)
            : ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<EventsHub>>(sp));
        return builder;
    }

    /// <summary>Where the data-protection key ring lives in Redis.</summary>
    public static RedisKey DataProtectionKey(RedisConnection redis) => redis.ChannelPrefix + ":data-protection-keys";
}
