using Microsoft.Extensions.Options;

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

    public bool HasApiCredentials => !string.IsNullOrEmpty(ApiKey) && !string.IsNullOrEmpty(ApiSecret);
}

/// <summary>Refuses to start outside Development without a webhook secret: unsigned webhooks would be accepted.</summary>
public sealed class WeLinkOptionsValidator(IHostEnvironment environment) : IValidateOptions<WeLinkOptions>
{
    public ValidateOptionsResult Validate(string? name, WeLinkOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.WebhookSecret) && !environment.IsDevelopment())
            failures.Add("WeLink:WebhookSecret is required outside Development (set WeLink__WebhookSecret to the webhook's Secret Code).");
        if (options.PinTimeout <= TimeSpan.Zero)
            failures.Add("WeLink:PinTimeout must be positive.");
        if (options.AccountSyncInterval < TimeSpan.FromSeconds(10))
            failures.Add("WeLink:AccountSyncInterval must be at least 10 seconds.");
        if (!options.ApiBaseUrl.IsAbsoluteUri)
            failures.Add("WeLink:ApiBaseUrl must be an absolute URL.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
