using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Sessions;

/// <summary>
/// The <c>session_data</c> cookie (Better Auth's cookie cache): base64url of
/// <c>{"session":{"session":…,"user":…},"expiresAt":ms,"signature":…}</c>, where the signature is
/// HMAC-SHA256 (base64url, no padding) over <c>{"session":…,"user":…,"expiresAt":ms}</c>.
/// Our JSON is written exactly as JSON.stringify writes it, so caches from either server verify on the other.
/// </summary>
internal static class CookieCache
{
    public readonly record struct Entry(SessionWithUser Session, long ExpiresAtMs);

    public static string Write(AuthRuntime auth, SessionWithUser pair, long expiresAtMs)
    {
        var session = Serialize(w => auth.Rows.WriteSession(w, pair.Session));
        var user = Serialize(w => auth.Rows.WriteUser(w, pair.User));
        var signed = $"{{\"session\":{session},\"user\":{user},\"expiresAt\":{expiresAtMs}}}";
        var signature = auth.Signer.SignBase64Url(signed);
        var payload = $"{{\"session\":{{\"session\":{session},\"user\":{user}}},\"expiresAt\":{expiresAtMs},\"signature\":\"{signature}\"}}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
    }

    /// <summary>Reads a cache cookie. <paramref name="signatureValid"/> is false only for a readable payload with a bad signature.</summary>
    public static Entry? Read(AuthRuntime auth, string cookie, out bool signatureValid)
    {
        signatureValid = true;
        byte[] bytes;
        try
        {
            var text = cookie;
            var eq = text.IndexOf('=');
            if (eq >= 0) text = text[..eq];
            bytes = text.Contains('-') || text.Contains('_') || !text.Contains('+') && !text.Contains('/')
                ? Base64Url.DecodeFromChars(text)
                : Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException) { return null; }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (!root.TryGetProperty("session", out var s) || s.ValueKind != JsonValueKind.Object ||
                !s.TryGetProperty("session", out var sessionJson) || !s.TryGetProperty("user", out var userJson) ||
                !root.TryGetProperty("expiresAt", out var exp) || !exp.TryGetInt64(out var expiresAtMs) ||
                !root.TryGetProperty("signature", out var sig) || sig.ValueKind != JsonValueKind.String)
                return null;
            var signed = $"{{\"session\":{sessionJson.GetRawText()},\"user\":{userJson.GetRawText()},\"expiresAt\":{exp.GetRawText()}}}";
            if (!auth.Signer.VerifyBase64Url(signed, sig.GetString()!))
            {
                signatureValid = false;
                return null;
            }
            return new Entry(new SessionWithUser(RowJsonReader.ReadSession(sessionJson, auth.Registry.Schema),
                RowJsonReader.ReadUser(userJson, auth.Registry.Schema)), expiresAtMs);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.JsStringEncoder.Instance }))
            write(w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>Reads user and session rows back from their JSON form (the cookie cache).</summary>
internal static class RowJsonReader
{
    public static User ReadUser(JsonElement e, AuthSchema schema)
    {
        var u = new User
        {
            Id = Str(e, "id")!,
            Name = Str(e, "name") ?? "",
            Email = Str(e, "email") ?? "",
            EmailVerified = e.TryGetProperty("emailVerified", out var v) && v.ValueKind == JsonValueKind.True,
            Image = Str(e, "image"),
            CreatedAt = Date(e, "createdAt"),
            UpdatedAt = Date(e, "updatedAt"),
        };
        ReadExtra(e, u, schema.UserFields);
        return u;
    }

    public static Session ReadSession(JsonElement e, AuthSchema schema)
    {
        var s = new Session
        {
            Id = Str(e, "id")!,
            Token = Str(e, "token")!,
            UserId = Str(e, "userId")!,
            ExpiresAt = Date(e, "expiresAt"),
            CreatedAt = Date(e, "createdAt"),
            UpdatedAt = Date(e, "updatedAt"),
            IpAddress = Str(e, "ipAddress"),
            UserAgent = Str(e, "userAgent"),
        };
        ReadExtra(e, s, schema.SessionFields);
        return s;
    }

    private static void ReadExtra(JsonElement e, ExtensibleEntity row, IReadOnlyList<FieldDefinition> fields)
    {
        foreach (var f in fields)
        {
            if (!e.TryGetProperty(f.Name, out var v) || v.ValueKind == JsonValueKind.Null) { row[f.Name] = null; continue; }
            row[f.Name] = f.Type switch
            {
                FieldType.Boolean => v.ValueKind == JsonValueKind.True,
                FieldType.Number => v.TryGetInt64(out var l) ? l : null,
                FieldType.Date => JsDate.Parse(v.GetString()!),
                _ => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(),
            };
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTime Date(JsonElement e, string name) => JsDate.Parse(Str(e, name) ?? throw new FormatException(name));
}
