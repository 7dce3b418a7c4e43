namespace WeLink.Dashboard.Features.Demo;

/// <summary>Where the demo posts its webhooks: the dashboard's own <c>/webhooks/welink</c>, on an address it listens on.</summary>
public static class DemoWebhookTarget
{
    public const string Path = "/webhooks/welink";

    /// <summary>
    /// The webhook URL on one of Kestrel's <paramref name="addresses"/>: plain http first (no certificate
    /// to trust), a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) reached through loopback.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable http or https address.</exception>
    public static Uri Choose(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var candidates = addresses.Select(Parse).OfType<Uri>().ToList();
        var chosen = candidates.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp) ?? candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("The dashboard listens on no http or https address the demo can post its webhooks to.");
        return new Uri(chosen, Path);
    }

    private static Uri? Parse(string address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        // Kestrel reports wildcards as given ("http://+:5000", "http://*:5000"), which Uri does not parse.
        var text = address.Trim().Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return null;
        var host = uri.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => uri.Host,
        };
        return new UriBuilder(uri.Scheme, host, uri.Port, "/").Uri;
    }
}
