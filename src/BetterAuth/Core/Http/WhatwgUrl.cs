namespace BetterAuth.Core.Http;

/// <summary>
/// An absolute URL as a browser reads it (the WHATWG URL Standard's basic URL parser, without a base), reduced to what
/// an origin check needs: the scheme, the host and port the browser would connect to, and where in the text they were
/// written. See <see cref="WhatwgHost"/> for why this is our own code.
/// </summary>
/// <param name="Scheme">Lower-cased scheme without the colon.</param>
/// <param name="Host">Serialized host (domain, IPv4 or [IPv6]); null for URLs without one (javascript:, data:, mailto:…).</param>
/// <param name="Port">The port, or null when absent or the scheme's default (80 for http, 443 for https).</param>
/// <param name="SlashesAfterScheme">The run of '/' and '\' written between the scheme's colon and the authority.</param>
/// <param name="HostText">The host exactly as written (after any userinfo, before any port).</param>
/// <param name="UserInfo">The userinfo as written (before the last '@'), or null when there is none.</param>
/// <param name="Tail">Everything after the authority as written: path, query and fragment.</param>
internal sealed record WhatwgUrl(string Scheme, string? Host, int? Port, string SlashesAfterScheme, string HostText,
    string? UserInfo = null, string Tail = "")
{
    /// <summary>True for the schemes whose origin is a tuple (scheme, host, port) a page can have: http and https.</summary>
    public bool IsHttp => Scheme is "http" or "https";

    /// <summary>The serialized origin of an http(s) URL (<c>https://example.com:8443</c>); null for other schemes.</summary>
    public string? Origin => IsHttp ? $"{Scheme}://{Host}{(Port is { } p ? ":" + p : "")}" : null;

    /// <summary>Parses <paramref name="input"/> as an absolute URL; false where a browser's parser fails or would need a base.</summary>
    public static bool TryParse(string input, out WhatwgUrl url)
    {
        url = null!;
        var s = Preprocess(input);
        if (s.Length == 0 || !char.IsAsciiLetter(s[0])) return false;
        var colon = 1;
        while (colon < s.Length && (char.IsAsciiLetterOrDigit(s[colon]) || s[colon] is '+' or '-' or '.')) colon++;
        if (colon >= s.Length || s[colon] != ':') return false; // no scheme: relative, which needs a base
        var scheme = s[..colon].ToLowerInvariant();
        var rest = s[(colon + 1)..];
        int? defaultPort = scheme switch { "http" or "ws" => 80, "https" or "wss" => 443, "ftp" => 21, _ => null };
        var special = defaultPort is not null || scheme == "file";

        if (scheme == "file")
        {
            // file: URLs have an opaque origin; their host is of no interest to an origin check.
            url = new WhatwgUrl(scheme, null, null, "", "");
            return true;
        }
        int authorityStart;
        if (special)
        {
            // "special authority ignore slashes state": any run of '/' and '\' before the authority is skipped.
            authorityStart = 0;
            while (authorityStart < rest.Length && rest[authorityStart] is '/' or '\\') authorityStart++;
        }
        else if (rest.StartsWith("//", StringComparison.Ordinal)) authorityStart = 2;
        else
        {
            url = new WhatwgUrl(scheme, null, null, "", "", null, rest); // an opaque path: javascript:…, data:…, mailto:…
            return true;
        }

        var authorityEnd = authorityStart;
        while (authorityEnd < rest.Length && !(rest[authorityEnd] is '/' or '?' or '#' || (special && rest[authorityEnd] == '\\')))
            authorityEnd++;
        var authority = rest[authorityStart..authorityEnd];
        // The host starts after the last '@'; earlier ones belong to the userinfo.
        var at = authority.LastIndexOf('@');
        var hostAndPort = at < 0 ? authority : authority[(at + 1)..];
        if (at >= 0 && hostAndPort.Length == 0) return false;

        var portColon = -1;
        var insideBrackets = false;
        for (var i = 0; i < hostAndPort.Length; i++)
        {
            if (hostAndPort[i] == '[') insideBrackets = true;
            else if (hostAndPort[i] == ']') insideBrackets = false;
            else if (hostAndPort[i] == ':' && !insideBrackets) { portColon = i; break; }
        }
        var hostText = portColon < 0 ? hostAndPort : hostAndPort[..portColon];
        if (special && hostText.Length == 0) return false;
        if (portColon == 0) return false;
        var host = special ? WhatwgHost.ParseSpecial(hostText) : WhatwgHost.ParseOpaque(hostText);
        if (host is null) return false;

        int? port = null;
        if (portColon >= 0)
        {
            var portText = hostAndPort[(portColon + 1)..];
            var value = 0;
            foreach (var c in portText)
            {
                if (!char.IsAsciiDigit(c)) return false;
                value = value * 10 + (c - '0');
                if (value > 65535) return false;
            }
            if (portText.Length > 0 && value != defaultPort) port = value;
        }
        url = new WhatwgUrl(scheme, host, port, rest[..authorityStart], hostText, at < 0 ? null : authority[..at], rest[authorityEnd..]);
        return true;
    }

    /// <summary>What a browser does to any URL string first: trim C0 controls and spaces, drop tabs and newlines.</summary>
    public static string Preprocess(string input)
    {
        var trimmed = input.AsSpan().Trim(TrimmedByBrowsers);
        if (trimmed.IndexOfAny('\t', '\n', '\r') < 0) return trimmed.ToString();
        var builder = new System.Text.StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
            if (c is not ('\t' or '\n' or '\r')) builder.Append(c);
        return builder.ToString();
    }

    private static readonly string TrimmedByBrowsers = new(Enumerable.Range(0, 0x21).Select(i => (char)i).ToArray());
}
