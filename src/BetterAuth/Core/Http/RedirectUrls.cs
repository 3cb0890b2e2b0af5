using System.Text;

namespace BetterAuth.Core.Http;

/// <summary>Builds redirect targets from callback URLs that passed <see cref="OriginCheck"/>.</summary>
internal static class RedirectUrls
{
    /// <summary>
    /// Resolves <paramref name="callback"/> against <paramref name="baseOrigin"/> and sets one query parameter, as
    /// Better Auth's <c>new URL(callback, baseURL)</c>, <c>searchParams.set(key, value)</c> and <c>href</c> do. Plain
    /// string work on the parsed URL: <see cref="Uri"/> throws on URLs that browsers (and the origin check) accept.
    /// </summary>
    public static string WithSearchParam(string callback, string baseOrigin, string key, string value)
    {
        string prefix, tail;
        if (callback.StartsWith('/'))
        {
            prefix = baseOrigin;
            tail = callback;
        }
        else if (WhatwgUrl.TryParse(callback, out var url) && url.IsHttp)
        {
            prefix = $"{url.Scheme}://{(url.UserInfo is { } user ? user + "@" : "")}{url.Host}{(url.Port is { } port ? ":" + port : "")}";
            tail = url.Tail.StartsWith('/') ? url.Tail : "/" + url.Tail;
        }
        else
        {
            // An app scheme (myapp://…): no origin to resolve against; only the query changes.
            prefix = "";
            tail = callback;
        }
        var hash = tail.IndexOf('#');
        var fragment = hash < 0 ? "" : tail[hash..];
        var beforeFragment = hash < 0 ? tail : tail[..hash];
        var question = beforeFragment.IndexOf('?');
        var path = question < 0 ? beforeFragment : beforeFragment[..question];
        var pairs = question < 0 ? [] : ParseForm(beforeFragment[(question + 1)..]);

        // URLSearchParams.set: the first pair of that name takes the value, later ones go; none: appended.
        var index = pairs.FindIndex(p => p.Name == key);
        if (index < 0) pairs.Add((key, value));
        else pairs = pairs.Where((p, i) => i <= index || p.Name != key).Select((p, i) => i == index ? (key, value) : p).ToList();
        return prefix + path + "?" + string.Join('&', pairs.Select(p => FormEncode(p.Name) + "=" + FormEncode(p.Value))) + fragment;
    }

    /// <summary>The application/x-www-form-urlencoded parser (URLSearchParams).</summary>
    private static List<(string Name, string Value)> ParseForm(string query)
    {
        var pairs = new List<(string, string)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((FormDecode(name), FormDecode(value)));
        }
        return pairs;
    }

    private static string FormDecode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text.Replace('+', ' '));
        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && Uri.IsHexDigit((char)bytes[i + 1]) && Uri.IsHexDigit((char)bytes[i + 2]))
            {
                output.Add((byte)Convert.ToInt32(Encoding.ASCII.GetString(bytes, i + 1, 2), 16));
                i += 2;
            }
            else output.Add(bytes[i]);
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>The application/x-www-form-urlencoded serializer: alphanumerics and *-._ stay, space is +, the rest %XX.</summary>
    private static string FormEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b == ' ') builder.Append('+');
            else if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_') builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
