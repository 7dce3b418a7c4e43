using Microsoft.Extensions.Logging;

namespace WeLink.Emulator.FakeApi;

/// <summary>How the fake We-Link REST API listens, authenticates and calls back.</summary>
public sealed record FakeWeLinkOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (read it from <see cref="FakeWeLinkApi.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>Expected <c>x-api-key</c> header.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Expected <c>x-api-secret</c> header.</summary>
    public required string ApiSecret { get; init; }

    /// <summary>Where outcomes are posted as webhooks; null keeps them for <c>get_response</c> only.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>
    /// Asked before each delivery and preferred to <see cref="WebhookUrl"/> when it answers a URL:
    /// for a host that runs the fake API in-process and learns its own webhook address only once it listens.
    /// </summary>
    public Func<Uri?>? WebhookUrlSource { get; init; }

    /// <summary>Secret Code that signs those webhooks; unsigned when null or empty.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Linked accounts <c>acc-001</c> to <c>acc-{Accounts}</c>.</summary>
    public int Accounts { get; init; } = 5;

    /// <summary>Accounts left out of <c>get_all_ln_accounts</c> until <see cref="FakeWeLinkApi.SetListed"/> lists them (linked after the dashboard's last list).</summary>
    public IReadOnlyList<string> UnlistedAccounts { get; init; } = [];

    /// <summary>How long after the API call its outcome webhook is posted.</summary>
    public TimeSpan OutcomeDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Share of action calls (0..1) whose outcome webhook is posted before the call is answered.</summary>
    public double EarlyWebhookRatio { get; init; } = 0.2;

    /// <summary>Share of outcome webhooks (0..1) never posted: kept only for <c>get_response</c>, as a delivery We-Link gave up on.</summary>
    public double DropWebhookShare { get; init; }

    /// <summary>When set, <c>get_response</c> answers this status (404 or a 5xx) from the start, for <see cref="GetResponseFailureFor"/>.</summary>
    public int? GetResponseFailureStatus { get; init; }

    /// <summary>How long <see cref="GetResponseFailureStatus"/> lasts; for ever when null.</summary>
    public TimeSpan? GetResponseFailureFor { get; init; }

    /// <summary>Post webhooks to <c>{WebhookUrl}?account={accountId}</c> rather than the bare URL.</summary>
    public bool AccountHintInUrl { get; init; } = true;

    /// <summary>Adjusts logging (e.g. to silence it in tests); console logging otherwise.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException("Port must be between 0 and 65535.", nameof(Port));
        if (string.IsNullOrEmpty(ApiKey)) throw new ArgumentException("ApiKey is required.", nameof(ApiKey));
        if (string.IsNullOrEmpty(ApiSecret)) throw new ArgumentException("ApiSecret is required.", nameof(ApiSecret));
        if (WebhookUrl is not null && (!WebhookUrl.IsAbsoluteUri || (WebhookUrl.Scheme != Uri.UriSchemeHttp && WebhookUrl.Scheme != Uri.UriSchemeHttps)))
            throw new ArgumentException("WebhookUrl must be an absolute http or https URL.", nameof(WebhookUrl));
        if (Accounts is < 1 or > 999) throw new ArgumentException("Accounts must be between 1 and 999.", nameof(Accounts));
        if (EarlyWebhookRatio is < 0 or > 1) throw new ArgumentException("EarlyWebhookRatio must be between 0 and 1.", nameof(EarlyWebhookRatio));
        if (GetResponseFailureStatus is { } failure && failure != 404 && failure is < 500 or > 599)
            throw new ArgumentException("GetResponseFailureStatus must be 404 or a 5xx status.", nameof(GetResponseFailureStatus));
        if (DropWebhookShare is < 0 or > 1) throw new ArgumentException("DropWebhookShare must be between 0 and 1.", nameof(DropWebhookShare));
        if (OutcomeDelay < TimeSpan.Zero) throw new ArgumentException("OutcomeDelay cannot be negative.", nameof(OutcomeDelay));
    }
}

/// <summary>A PIN submitted to <c>/api/v1/login_code</c>.</summary>
public sealed record LoginCodeCall(string AccountId, string RequestId, string Code, DateTimeOffset ReceivedAt)
{
    // The PIN stays out of logs and test output.
    public override string ToString() =>
        $"LoginCodeCall {{ AccountId = {AccountId}, RequestId = {RequestId}, Code = ({Code.Length} characters), ReceivedAt = {ReceivedAt:O} }}";
}
