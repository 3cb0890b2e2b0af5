using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace BetterAuth.Core.Json;

/// <summary>
/// Escapes strings exactly as JavaScript's JSON.stringify does: only <c>"</c>, <c>\</c>, control characters and
/// lone surrogates. Our JSON then matches Better Auth's byte for byte, which the signed cookie cache depends on
/// (its verifier re-stringifies the payload before checking the HMAC).
/// </summary>
internal sealed class JsStringEncoder : JavaScriptEncoder
{
    public static readonly JsStringEncoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || unicodeScalar is >= 0xD800 and <= 0xDFFF;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (c < 0x20 || c == '"' || c == '\\') return i;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < textLength && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        string encoded = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when WillEncode(unicodeScalar) => "\\u" + unicodeScalar.ToString("x4", CultureInfo.InvariantCulture),
            _ => char.ConvertFromUtf32(unicodeScalar),
        };
        if (encoded.Length > bufferLength) { numberOfCharactersWritten = 0; return false; }
        for (var i = 0; i < encoded.Length; i++) buffer[i] = encoded[i];
        numberOfCharactersWritten = encoded.Length;
        return true;
    }
}
