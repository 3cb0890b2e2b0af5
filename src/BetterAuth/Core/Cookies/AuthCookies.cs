using System.Text;
using BetterAuth.Core.Crypto;

namespace BetterAuth.Core.Cookies;

/// <summary>Attributes of one Set-Cookie, serialised in better-call's order.</summary>
public sealed record CookieAttributes
{
    /// <summary>Max-Age in seconds, or null for a session cookie.</summary>
    public int? MaxAge { get; init; }
    /// <summary>Domain attribute, or null for the host only.</summary>
    public string? Domain { get; init; }
    /// <summary>Path attribute.</summary>
    public string? Path { get; init; } = "/";
    /// <summary>Hidden from scripts.</summary>
    public bool HttpOnly { get; init; } = true;
    /// <summary>Sent over https only.</summary>
    public bool Secure { get; init; }
    /// <summary>SameSite attribute (<c>Lax</c>, <c>Strict</c>, <c>None</c>).</summary>
    public string? SameSite { get; init; } = "Lax";
}

/// <summary>
/// Better Auth's cookie names and attributes (cookies/index.ts): <c>[__Secure-]better-auth.&lt;name&gt;</c>,
/// HttpOnly, SameSite=Lax, Path=/, Secure with the prefix when the base URL is https.
/// </summary>
internal sealed class AuthCookies
{
    public bool Secure { get; }
    public string SessionToken { get; }
    public string SessionData { get; }
    public string DontRemember { get; }
    public CookieAttributes Defaults { get; }
    private readonly string _prefix;

    public AuthCookies(BetterAuthOptions options, bool secure, string? baseHost)
    {
        Secure = secure;
        _prefix = (secure ? "__Secure-" : "") + options.Advanced.CookiePrefix + ".";
        var cross = options.Advanced.CrossSubDomainCookies;
        Defaults = new CookieAttributes
        {
            Secure = secure,
            Domain = cross.Enabled ? cross.Domain ?? baseHost : null,
        };
        SessionToken = Name("session_token");
        SessionData = Name("session_data");
        DontRemember = Name("dont_remember");
    }

    /// <summary>The full cookie name for a Better Auth cookie, e.g. <c>two_factor</c>.</summary>
    public string Name(string name) => _prefix + name;

    /// <summary>Serialises a Set-Cookie header value: <c>name=value; Max-Age; Domain; Path; HttpOnly; Secure; SameSite</c>.</summary>
    public static string Serialize(string name, string value, CookieAttributes a)
    {
        var sb = new StringBuilder(name.Length + value.Length + 64);
        sb.Append(name).Append('=').Append(value);
        if (a.MaxAge is { } maxAge) sb.Append("; Max-Age=").Append(Math.Max(0, maxAge));
        if (a.Domain is not null) sb.Append("; Domain=").Append(a.Domain);
        if (a.Path is not null) sb.Append("; Path=").Append(a.Path);
        if (a.HttpOnly) sb.Append("; HttpOnly");
        if (a.Secure) sb.Append("; Secure");
        if (a.SameSite is not null) sb.Append("; SameSite=").Append(a.SameSite);
        return sb.ToString();
    }

    /// <summary><c>encodeURIComponent(value + "." + base64(HMAC-SHA256(secret, value)))</c>.</summary>
    public static string SignValue(SecretSigner signer, string value) =>
        Uri.EscapeDataString(value + "." + signer.SignBase64(value));

    /// <summary>
    /// Reads a signed cookie value as better-call does: split at the last '.', signature of 44 chars ending in '=',
    /// HMAC checked in constant time. Any failure is "no cookie", never an error.
    /// </summary>
    public static string? VerifySignedValue(SecretSigner signer, string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        var dot = raw.LastIndexOf('.');
        if (dot <= 0) return null;
        var signature = raw.AsSpan(dot + 1);
        if (signature.Length != 44 || signature[^1] != '=') return null;
        var value = raw[..dot];
        return signer.VerifyBase64(value, signature) ? value : null;
    }

    /// <summary>Request cookie parsing as better-call: first occurrence wins, quotes stripped, decoded when it has '%'.</summary>
    public static string? Read(string? cookieHeader, string name)
    {
        if (string.IsNullOrEmpty(cookieHeader)) return null;
        foreach (var part in cookieHeader.Split(';'))
        {
            var pair = part.AsSpan().Trim();
            var eq = pair.IndexOf('=');
            if (eq <= 0 || !pair[..eq].Trim().SequenceEqual(name)) continue;
            var value = pair[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            var s = value.ToString();
            if (s.Contains('%'))
            {
                try { s = Uri.UnescapeDataString(s); } catch (UriFormatException) { return null; }
            }
            return s;
        }
        return null;
    }
}
