using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.MagicLink;

/// <summary>
/// The link's verification row as Better Auth 1.2.12 stores it, so either server verifies the other's links on a shared
/// database: identifier = the token itself, value = <c>JSON.stringify({email, name})</c> (name left out when not given).
/// </summary>
internal static class MagicLinkTokens
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>32 random letters, Better Auth's <c>generateRandomString(32, "a-z", "A-Z")</c> (~182 bits).</summary>
    public static string NewToken() => RandomStrings.From(Letters, 32);

    public static string Value(string email, string? name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsStringEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteString("email", email);
            if (name is not null) w.WriteString("name", name);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The email and name a row holds, or null when it is not a magic-link row. Identifiers are not namespaced (as in
    /// Better Auth), so a token could name another flow's row; only a JSON object with a string email is taken.
    /// </summary>
    public static (string Email, string? Name)? Read(string value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("email", out var email) || email.ValueKind != JsonValueKind.String) return null;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return (email.GetString()!, name);
        }
        catch (JsonException) { return null; }
    }
}
