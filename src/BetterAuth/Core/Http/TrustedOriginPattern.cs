namespace BetterAuth.Core.Http;

/// <summary>
/// One entry of <c>trustedOrigins</c>, parsed once: an exact origin (<c>https://app.example.com</c>), a wildcard
/// (<c>https://*.example.com</c>, <c>*.example.com</c>) or an app scheme (<c>myapp://</c>, <c>myapp://callback</c>).
/// Matching compares what a browser would connect to (scheme, host, port), never the text.
/// </summary>
/// <remarks>
/// Wildcards: a label that is only <c>*</c> (or <c>**</c>) stands for one or more whole labels; inside a label <c>*</c>
/// stands for any run of characters and <c>?</c> for one, never crossing a dot. A wildcard with a scheme trusts that
/// scheme only; one without trusts http and https. The port must be the pattern's (the default port when none is given;
/// any port for <c>:*</c>).
/// App schemes (for native apps' deep links, as Better Auth allows them) trust their scheme, the host when one is given
/// (ASCII case aside) and the path and below when one is given (after percent-decoding and dot segments, so
/// <c>myapp://host/cb/../evil</c> is not under <c>myapp://host/cb</c>), as later Better Auth versions match them.
/// Schemes that run or embed content in the page (javascript:, data:, vbscript:, blob:, file:…) never match.
/// </remarks>
internal sealed class TrustedOriginPattern
{
    private static readonly HashSet<string> NeverTrusted =
        ["javascript", "data", "vbscript", "blob", "file", "about", "filesystem", "ws", "wss", "ftp"];

    private readonly string? _scheme;      // null: http or https (scheme-less wildcard)
    private readonly string? _host;        // exact host, or null when _hostLabels is used or an app scheme names none
    private readonly string[]? _hostLabels; // wildcard host, lower-cased labels
    private readonly int? _port;
    private readonly string _appPath = ""; // app schemes: the pinned path ("" when none)
    private bool AnyPort { get; init; }     // a wildcard pattern ending in ":*"

    private TrustedOriginPattern(string text, string? scheme, string? host, string[]? hostLabels, int? port, string appPath = "")
    {
        _appPath = appPath;
        Text = text;
        _scheme = scheme;
        _host = host;
        _hostLabels = hostLabels;
        _port = port;
    }

    /// <summary>The pattern as configured.</summary>
    public string Text { get; }

    /// <summary>Parses a configured pattern; null when it can never match (unparseable, or a scheme never trusted).</summary>
    public static TrustedOriginPattern? Parse(string pattern)
    {
        var text = pattern.Trim().TrimEnd('/');
        if (text.Length == 0) return null;
        if (text.Contains('*') || text.Contains('?')) return ParseWildcard(text);
        if (!WhatwgUrl.TryParse(text, out var url) || NeverTrusted.Contains(url.Scheme)) return null;
        if (url.IsHttp) return new TrustedOriginPattern(text, url.Scheme, url.Host, null, url.Port);
        // An app scheme: "myapp:" and "myapp://" name no host and trust the whole scheme.
        return new TrustedOriginPattern(text, url.Scheme, string.IsNullOrEmpty(url.Host) ? null : url.Host, null, url.Port,
            NormalizedPath(url.Tail));
    }

    private static TrustedOriginPattern? ParseWildcard(string text)
    {
        string? scheme = null;
        var hostPart = text;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = text[..separator].ToLowerInvariant();
            if (scheme is not ("http" or "https")) return null;
            hostPart = text[(separator + 3)..];
        }
        int? port = null;
        var anyPort = false;
        var colon = hostPart.LastIndexOf(':');
        if (colon >= 0 && hostPart[(colon + 1)..] == "*")
        {
            anyPort = true;
            hostPart = hostPart[..colon];
        }
        else if (colon >= 0)
        {
            if (!int.TryParse(hostPart[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
                || p > 65535) return null;
            hostPart = hostPart[..colon];
            // The default port of the pattern's scheme is no port, as in a parsed URL.
            if (!(scheme == "http" && p == 80 || scheme == "https" && p == 443)) port = p;
        }
        if (hostPart.Length == 0 || hostPart.Any(c => c is '/' or '\\' or '@' or '[' or ']' or '%' || char.IsWhiteSpace(c) || char.IsControl(c)))
            return null;
        var labels = hostPart.ToLowerInvariant().Split('.');
        if (labels.Any(l => l.Length == 0)) return null;
        return new TrustedOriginPattern(text, scheme, null, labels, port) { AnyPort = anyPort };
    }

    /// <summary>The exact origin of a URL the server itself is reached at (its base URL or the request's origin).</summary>
    public static TrustedOriginPattern? ForOrigin(string origin) =>
        WhatwgUrl.TryParse(origin, out var url) && url.IsHttp ? new TrustedOriginPattern(origin, url.Scheme, url.Host, null, url.Port) : null;

    /// <summary>Whether <paramref name="url"/> (already parsed the browser's way) is at an origin this pattern trusts.</summary>
    public bool Matches(WhatwgUrl url)
    {
        if (NeverTrusted.Contains(url.Scheme)) return false;
        if (_scheme is null ? !url.IsHttp : _scheme != url.Scheme) return false;
        if (url.Port != _port && !AnyPort) return false;
        if (_hostLabels is not null) return url.Host is { } h && !h.StartsWith('[') && LabelsMatch(_hostLabels, 0, h.Split('.'), 0);
        if (url.IsHttp) return string.Equals(url.Host, _host, StringComparison.Ordinal);
        // An app scheme: the host when the pattern names one, then the pinned path and below.
        if (_host is not null && !string.Equals(url.Host, _host, StringComparison.OrdinalIgnoreCase)) return false;
        if (_appPath.Length == 0) return true;
        var path = NormalizedPath(url.Tail);
        return path == _appPath || path.StartsWith(_appPath + "/", StringComparison.Ordinal);
    }

    /// <summary>The path of an app-scheme URL without query or fragment, percent-decoded, dot segments resolved; "" for none or "/".</summary>
    private static string NormalizedPath(string tail)
    {
        var end = tail.IndexOfAny(['?', '#']);
        var path = end < 0 ? tail : tail[..end];
        try { path = Uri.UnescapeDataString(path); }
        catch (UriFormatException) { /* kept as written */ }
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); }
            else if (segment is not ("." or "")) segments.Add(segment);
        }
        return segments.Count == 0 ? "" : "/" + string.Join('/', segments);
    }

    private static bool LabelsMatch(string[] pattern, int p, string[] host, int h)
    {
        if (p == pattern.Length) return h == host.Length;
        if (pattern[p] is "*" or "**")
        {
            // One or more whole, non-empty labels.
            for (var take = 1; h + take <= host.Length && host[h + take - 1].Length > 0; take++)
                if (LabelsMatch(pattern, p + 1, host, h + take)) return true;
            return false;
        }
        return h < host.Length && GlobMatch(pattern[p], 0, host[h], 0) && LabelsMatch(pattern, p + 1, host, h + 1);
    }

    private static bool GlobMatch(string pattern, int p, string label, int l)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                for (var i = l; i <= label.Length; i++)
                    if (GlobMatch(pattern, p + 1, label, i)) return true;
                return false;
            }
            if (l >= label.Length || (c != '?' && c != label[l])) return false;
            p++;
            l++;
        }
        return l == label.Length;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
