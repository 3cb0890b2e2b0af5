using System.Net;
using Microsoft.AspNetCore.Http;

namespace BetterAuth.Core.Http;

/// <summary>
/// The client's IP address for rate limits and session rows. The socket address is the client unless the
/// socket peer is a configured trusted proxy; only then are the configured forwarding headers read, right to left,
/// skipping further trusted proxies (a client can put anything in X-Forwarded-For, so it is never believed blindly).
/// </summary>
internal static class ClientIpResolver
{
    public static string? Resolve(HttpContext http, IpAddressOptions options)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null) return null;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (options.IpAddressHeaders.Count == 0 || !IsTrusted(remote, options.TrustedProxies)) return remote.ToString();

        foreach (var header in options.IpAddressHeaders)
        {
            var value = http.Request.Headers[header].ToString();
            if (string.IsNullOrWhiteSpace(value)) continue;
            var hops = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(hops[i], out var hop)) break;
                if (hop.IsIPv4MappedToIPv6) hop = hop.MapToIPv4();
                if (i == 0 || !IsTrusted(hop, options.TrustedProxies)) return hop.ToString();
            }
        }
        return remote.ToString();
    }

    public static bool IsTrusted(IPAddress address, IReadOnlyList<string> trusted)
    {
        foreach (var entry in trusted)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                if (network.Contains(address)) return true;
            }
            else if (IPAddress.TryParse(entry, out var single) && single.Equals(address)) return true;
        }
        return false;
    }
}
