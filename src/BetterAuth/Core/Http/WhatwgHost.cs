using System.Globalization;
using System.Text;

namespace BetterAuth.Core.Http;

/// <summary>
/// The host parser of the WHATWG URL Standard (https://url.spec.whatwg.org/#host-parsing) for special schemes: what a
/// browser turns the host text of an http(s) URL into before it connects — percent-decoded, IDNA-mapped
/// (domainToASCII), lower-cased, IPv4 numbers in any of their accepted spellings, IPv6 compressed.
/// </summary>
/// <remarks>
/// Written here because no well-kept .NET package does this job: <see cref="Uri"/> follows RFC 3986 with .NET's own
/// leniencies (it rejects or keeps many hosts that browsers rewrite), and the only WHATWG URL implementation on the
/// package list ships inside an HTML engine (AngleSharp). IDNA itself is <see cref="IdnMapping"/> (ICU's UTS #46).
/// Where ICU is stricter than the standard (hyphen and DNS-length rules) a host fails to parse, so the check refuses
/// more, never less.
/// </remarks>
internal static class WhatwgHost
{
    /// <summary>Parses the host text of a special-scheme URL; null where the browser's parser fails.</summary>
    public static string? ParseSpecial(string text)
    {
        if (text.Length == 0) return null;
        if (text[0] == '[')
        {
            if (text[^1] != ']') return null;
            return ParseIPv6(text[1..^1]) is { } pieces ? "[" + SerializeIPv6(pieces) + "]" : null;
        }
        if (PercentDecodeUtf8(text) is not { } domain) return null;
        if (DomainToAscii(domain) is not { } ascii) return null;
        foreach (var c in ascii)
            if (IsForbiddenDomainCodePoint(c)) return null;
        if (EndsInANumber(ascii)) return ParseIPv4(ascii) is { } address ? SerializeIPv4(address) : null;
        return ascii;
    }

    /// <summary>The opaque host of a non-special URL (e.g. <c>myapp://callback</c>): kept as written, percent-encoded.</summary>
    public static string? ParseOpaque(string text)
    {
        if (text.Length == 0) return "";
        if (text[0] == '[')
            return text[^1] == ']' && ParseIPv6(text[1..^1]) is { } pieces ? "[" + SerializeIPv6(pieces) + "]" : null;
        foreach (var c in text)
            if (IsForbiddenHostCodePoint(c)) return null;
        // UTF-8 percent-encode with the C0 control percent-encode set.
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b < 0x20 || b > 0x7E) builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            else builder.Append((char)b);
        }
        return builder.ToString();
    }

    private static string? PercentDecodeUtf8(string text)
    {
        if (!text.Contains('%')) return text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2]))
            {
                output.Add((byte)(HexValue(bytes[i + 1]) * 16 + HexValue(bytes[i + 2])));
                i += 2;
            }
            else output.Add(bytes[i]);
        }
        // "UTF-8 decode without BOM": invalid sequences become U+FFFD, which domainToASCII then refuses.
        return new UTF8Encoding(false, false).GetString(output.ToArray());
    }

    /// <summary>
    /// Whether <see cref="IdnMapping"/> applies UTS #46 mapping (ICU). Under invariant globalization it only
    /// punycode-encodes (full-width "ａ" stays non-ASCII), so hosts that need IDNA are then refused rather than misread.
    /// </summary>
    private static readonly bool IdnaMapsAsBrowsersDo = ProbeIdna();

    private static bool ProbeIdna()
    {
        try { return new IdnMapping().GetAscii("\uff41.example") == "a.example"; }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException) { return false; }
    }

    /// <summary>domainToASCII with beStrict false: ASCII without punycode labels is only lower-cased; the rest is UTS #46.</summary>
    private static string? DomainToAscii(string domain)
    {
        var needsIdna = false;
        foreach (var c in domain)
            if (c > 0x7F) { needsIdna = true; break; }
        if (!needsIdna)
        {
            foreach (var label in domain.Split('.'))
                if (label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) { needsIdna = true; break; }
            if (!needsIdna) return domain.ToLowerInvariant();
        }
        if (!IdnaMapsAsBrowsersDo) return null;
        try
        {
            // A new mapper per call: IdnMapping does not document thread safety, and this path is rare (non-ASCII hosts).
            var ascii = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false }.GetAscii(domain);
            return ascii.Length == 0 ? null : ascii.ToLowerInvariant();
        }
        // ArgumentException: not a valid IDN. PlatformNotSupportedException: no ICU (invariant globalization), so
        // such hosts cannot be read as a browser reads them and are refused.
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException) { return null; }
    }

    private static bool EndsInANumber(string host)
    {
        var parts = host.Split('.');
        if (parts[^1].Length == 0)
        {
            if (parts.Length == 1) return false;
            parts = parts[..^1];
        }
        var last = parts[^1];
        if (last.Length > 0 && last.All(char.IsAsciiDigit)) return true;
        return ParseIPv4Number(last) is not null;
    }

    /// <summary>The IPv4 parser: 1–4 parts, each decimal, 0x-hex or 0-octal; the last part fills the remaining bytes.</summary>
    private static uint? ParseIPv4(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts[^1].Length == 0 && parts.Count > 1) parts.RemoveAt(parts.Count - 1);
        if (parts.Count > 4) return null;
        var numbers = new List<System.Numerics.BigInteger>();
        foreach (var part in parts)
        {
            if (ParseIPv4Number(part) is not { } n) return null;
            numbers.Add(n);
        }
        for (var i = 0; i < numbers.Count - 1; i++)
            if (numbers[i] > 255) return null;
        if (numbers[^1] >= System.Numerics.BigInteger.Pow(256, 5 - numbers.Count)) return null;
        var address = numbers[^1];
        for (var i = 0; i < numbers.Count - 1; i++) address += numbers[i] * System.Numerics.BigInteger.Pow(256, 3 - i);
        return (uint)address;
    }

    private static System.Numerics.BigInteger? ParseIPv4Number(string input)
    {
        if (input.Length == 0) return null;
        var radix = 10;
        if (input.Length >= 2 && input[0] == '0' && input[1] is 'x' or 'X') { input = input[2..]; radix = 16; }
        else if (input.Length >= 2 && input[0] == '0') { input = input[1..]; radix = 8; }
        if (input.Length == 0) return 0;
        System.Numerics.BigInteger value = 0;
        foreach (var c in input)
        {
            int digit = radix switch
            {
                10 => char.IsAsciiDigit(c) ? c - '0' : -1,
                8 => c is >= '0' and <= '7' ? c - '0' : -1,
                _ => IsHex(c) ? HexValue(c) : -1,
            };
            if (digit < 0) return null;
            value = value * radix + digit;
        }
        return value;
    }

    private static string SerializeIPv4(uint address) =>
        $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";

    /// <summary>The IPv6 parser: eight 16-bit pieces, one "::" compression, an optional dotted-decimal IPv4 tail.</summary>
    private static ushort[]? ParseIPv6(string input)
    {
        var address = new ushort[8];
        int pieceIndex = 0, pointer = 0;
        int? compress = null;
        char C(int i) => i < input.Length ? input[i] : '\0';
        bool AtEnd(int i) => i >= input.Length;
        if (C(0) == ':')
        {
            if (C(1) != ':') return null;
            pointer += 2;
            compress = ++pieceIndex;
        }
        while (!AtEnd(pointer))
        {
            if (pieceIndex == 8) return null;
            if (C(pointer) == ':')
            {
                if (compress is not null) return null;
                pointer++;
                compress = ++pieceIndex;
                continue;
            }
            int value = 0, length = 0;
            while (length < 4 && !AtEnd(pointer) && IsHex(C(pointer)))
            {
                value = value * 16 + HexValue(C(pointer));
                pointer++;
                length++;
            }
            if (!AtEnd(pointer) && C(pointer) == '.')
            {
                if (length == 0) return null;
                pointer -= length;
                if (pieceIndex > 6) return null;
                var numbersSeen = 0;
                while (!AtEnd(pointer))
                {
                    int? ipv4Piece = null;
                    if (numbersSeen > 0)
                    {
                        if (C(pointer) == '.' && numbersSeen < 4) pointer++;
                        else return null;
                    }
                    if (AtEnd(pointer) || !char.IsAsciiDigit(C(pointer))) return null;
                    while (!AtEnd(pointer) && char.IsAsciiDigit(C(pointer)))
                    {
                        var number = C(pointer) - '0';
                        if (ipv4Piece is null) ipv4Piece = number;
                        else if (ipv4Piece == 0) return null;
                        else ipv4Piece = ipv4Piece * 10 + number;
                        if (ipv4Piece > 255) return null;
                        pointer++;
                    }
                    address[pieceIndex] = (ushort)(address[pieceIndex] * 0x100 + ipv4Piece!.Value);
                    numbersSeen++;
                    if (numbersSeen is 2 or 4) pieceIndex++;
                }
                if (numbersSeen != 4) return null;
                break;
            }
            if (!AtEnd(pointer) && C(pointer) == ':')
            {
                pointer++;
                if (AtEnd(pointer)) return null;
            }
            else if (!AtEnd(pointer)) return null;
            address[pieceIndex] = (ushort)value;
            pieceIndex++;
        }
        if (compress is { } start)
        {
            var swaps = pieceIndex - start;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0)
            {
                (address[pieceIndex], address[start + swaps - 1]) = (address[start + swaps - 1], address[pieceIndex]);
                pieceIndex--;
                swaps--;
            }
        }
        else if (pieceIndex != 8) return null;
        return address;
    }

    private static string SerializeIPv6(ushort[] address)
    {
        // Compress the first longest run of two or more zero pieces.
        int bestStart = -1, bestLength = 1;
        for (var i = 0; i < 8;)
        {
            if (address[i] != 0) { i++; continue; }
            var j = i;
            while (j < 8 && address[j] == 0) j++;
            if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        var builder = new StringBuilder();
        var ignore0 = false;
        for (var i = 0; i < 8; i++)
        {
            if (ignore0 && address[i] == 0) continue;
            ignore0 = false;
            if (i == bestStart)
            {
                builder.Append(i == 0 ? "::" : ":");
                ignore0 = true;
                continue;
            }
            builder.Append(address[i].ToString("x", CultureInfo.InvariantCulture));
            if (i != 7) builder.Append(':');
        }
        return builder.ToString();
    }

    private static bool IsForbiddenHostCodePoint(char c) =>
        c is '\0' or '\t' or '\n' or '\r' or ' ' or '#' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|';

    private static bool IsForbiddenDomainCodePoint(char c) => IsForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;

    private static bool IsHex(int c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    private static int HexValue(int c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
