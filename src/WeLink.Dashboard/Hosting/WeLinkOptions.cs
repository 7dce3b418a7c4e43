namespace WeLink.Dashboard.Hosting;

/// <summary>The <c>WeLink</c> section: the webhook secret and the REST API We-Link answers on.</summary>
public sealed class WeLinkOptions
{
    public const string Section = "WeLink";

    /// <summary>The Secret Code set on the webhook in We-Link; required outside Development.</summary>
    public string? WebhookSecret { get; set; }
    public Uri ApiBaseUrl { get; set; } = new("https://api.we-link.ai");
    public string? ApiKey { get; set; }
    public string? ApiSecret { get; set; }
    public TimeSpan PinTimeout { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How often We-Link's account list is fetched when API credentials are configured.</summary>
    public TimeSpan AccountSyncInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Accept the JWT form of <c>hash</c> (payload = body); false accepts only the hex HMAC.</summary>
    public bool AcceptJwtHash { get; set; } = true;
    /// <summary>How often Connected accounts' sessions are checked with <c>/me</c> (SessionExpired ones at a quarter of that rate).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(30);

    public bool HasApiCredentials => !string.IsNullOrEmpty(ApiKey) && !string.IsNullOrEmpty(ApiSecret);
}
