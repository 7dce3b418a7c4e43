using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WeLink.Dashboard.Hosting;

/// <summary>
/// Behind a TLS proxy: the client's address, scheme and host come from <c>X-Forwarded-*</c>, but only
/// when the request arrives from one of <c>Dashboard:TrustedProxies</c>. Anyone else could send those
/// headers to pose as another client (sign-in rate limit) or as HTTPS. ASP.NET trusts loopback by
/// default; that default is dropped, so with no proxies configured no forwarded header is believed.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<DashboardOptions>>((forwarded, dashboard) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Walk the chain from the right while each hop is a trusted proxy.
            forwarded.ForwardLimit = null;
            foreach (var entry in dashboard.Value.TrustedProxies)
            {
                if (!TryParseProxy(entry, out var address, out var network)) continue;
                if (address is not null) forwarded.KnownProxies.Add(address);
                else forwarded.KnownIPNetworks.Add(network!.Value);
            }
        });
        return services;
    }

    /// <summary>An address (<c>10.0.0.5</c>, <c>::1</c>) or a network in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public static bool TryParseProxy(string? text, out IPAddress? address, out System.Net.IPNetwork? network)
    {
        address = null;
        network = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return false;
        if (text.Contains('/'))
        {
            if (!System.Net.IPNetwork.TryParse(text, out var parsed)) return false;
            network = parsed;
            return true;
        }
        if (!IPAddress.TryParse(text, out var ip)) return false;
        address = ip;
        return true;
    }
}
