using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BetterAuth.Core.OAuth;

/// <summary>
/// A URL whose query is edited like WHATWG <c>URLSearchParams</c> (what Better Auth builds authorization URLs with):
/// <c>Set</c> replaces the first pair of a name and drops the others, and the query is written form-encoded
/// (space as <c>+</c>, everything but <c>A-Za-z0-9*-._</c> percent-encoded), so our URLs match the reference's byte for byte.
/// </summary>
internal sealed class OAuthUrl
{
    private readonly string _prefix;
    private readonly string _fragment;
    private readonly List<KeyValuePair<string, string>> _query = new();

    public OAuthUrl(string url)
    {
        var hash = url.IndexOf('#');
        _fragment = hash >= 0 ? url[hash..] : "";
        if (hash >= 0) url = url[..hash];
        var q = url.IndexOf('?');
        _prefix = q >= 0 ? url[..q] : url;
        if (q < 0) return;
        foreach (var part in url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            _query.Add(new(FormDecode(eq < 0 ? part : part[..eq]), eq < 0 ? "" : FormDecode(part[(eq + 1)..])));
        }
    }

    public OAuthUrl Set(string name, string value)
    {
        var i = _query.FindIndex(p => p.Key == name);
        if (i < 0) { _query.Add(new(name, value)); return this; }
        _query[i] = new(name, value);
        for (var j = _query.Count - 1; j > i; j--)
            if (_query[j].Key == name) _query.RemoveAt(j);
        return this;
    }

    /// <summary>Sets the parameter only when the value is non-empty (Better Auth's <c>value &amp;&amp; set(...)</c>).</summary>
    public OAuthUrl SetIf(string name, string? value) => string.IsNullOrEmpty(value) ? this : Set(name, value);

    public override string ToString() =>
        _query.Count == 0 ? _prefix + _fragment
            : _prefix + "?" + string.Join("&", _query.Select(p => FormEncode(p.Key) + "=" + FormEncode(p.Value))) + _fragment;

    /// <summary>application/x-www-form-urlencoded serialisation of one name or value.</summary>
    public static string FormEncode(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b == ' ') sb.Append('+');
            else if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                     or (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
                sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string FormDecode(string value)
    {
        try { return Uri.UnescapeDataString(value.Replace('+', ' ')); }
        catch (UriFormatException) { return value; }
    }

    /// <summary>PKCE S256: base64url without padding of SHA-256 of the verifier.</summary>
    public static string CodeChallenge(string codeVerifier) =>
        Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
