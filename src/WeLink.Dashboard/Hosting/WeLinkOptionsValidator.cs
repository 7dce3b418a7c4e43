using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Hosting;

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
        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1))
            failures.Add("WeLink:HeartbeatInterval must be at least 1 second.");
        if (!options.ApiBaseUrl.IsAbsoluteUri)
            failures.Add("WeLink:ApiBaseUrl must be an absolute URL.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
