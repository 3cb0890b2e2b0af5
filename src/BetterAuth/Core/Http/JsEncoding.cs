using System.Globalization;
using System.Text;

namespace BetterAuth.Core.Http;

/// <summary>JavaScript's URI encodings, which differ from .NET's in the characters they leave alone and in what they refuse.</summary>
internal static class JsEncoding
{
    /// <summary><c>encodeURIComponent</c>: UTF-8 percent-encoding of everything but <c>A-Z a-z 0-9 - _ . ! ~ * ' ( )</c>.</summary>
    public static string EncodeUriComponent(string value) => Encode(value, "-_.!~*'()", spaceAsPlus: false);

    /// <summary><c>URLSearchParams</c> serialisation (application/x-www-form-urlencoded): keeps <c>* - . _</c>, space → <c>+</c>.</summary>
    public static string FormEncode(string value) => Encode(value, "*-._", spaceAsPlus: true);

    /// <summary>
    /// <c>decodeURIComponent</c>: every <c>%XX</c> decoded, the bytes read as UTF-8; <c>+</c> stays. Null where JavaScript
    /// throws a URIError: a <c>%</c> not followed by two hex digits, or escapes that are not well-formed UTF-8.
    /// </summary>
    public static string? DecodeUriComponent(string value)
    {
        if (!value.Contains('%')) return value;
        var bytes = new List<byte>(value.Length);
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                if (!Flush(bytes, text)) return null;
                text.Append(value[i]);
                continue;
            }
            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2])) return null;
            bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
            i += 2;
        }
        return Flush(bytes, text) ? text.ToString() : null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends the pending escaped bytes as UTF-8; false when they are not well-formed.</summary>
    private static bool Flush(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0) return true;
        try { text.Append(StrictUtf8.GetString(bytes.ToArray())); }
        catch (DecoderFallbackException) { return false; }
        finally { bytes.Clear(); }
        return true;
    }

    private static string Encode(string value, string unreserved, bool spaceAsPlus)
    {
        var sb = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') || (b < 0x80 && unreserved.Contains(c)))
                sb.Append(c);
            else if (spaceAsPlus && c == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
