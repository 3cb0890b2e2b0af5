using System.Text.Json;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Json;

/// <summary>Dates as JavaScript writes them (<c>toISOString()</c>).</summary>
internal sealed class JsDateConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64());
        return JsDate.Parse(reader.GetString() ?? throw new JsonException());
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        => writer.WriteStringValue(JsDate.Format(value));
}

/// <summary>
/// Writes user and session rows as Better Auth's adapter returns them: every column in table order (core, then
/// plugin columns), id last, <c>returned:false</c> fields left out.
/// </summary>
internal sealed class RowJsonWriter(AuthSchema schema)
{
    /// <param name="w">The writer the user object is written to.</param>
    /// <param name="u">The user row.</param>
    /// <param name="includeHidden">Also write <c>returned:false</c> fields (for server-side copies such as a shared session cache).</param>
    public void WriteUser(Utf8JsonWriter w, User u, bool includeHidden = false)
    {
        w.WriteStartObject();
        w.WriteString("name", u.Name);
        w.WriteString("email", u.Email);
        w.WriteBoolean("emailVerified", u.EmailVerified);
        WriteNullable(w, "image", u.Image);
        w.WriteString("createdAt", JsDate.Format(u.CreatedAt));
        w.WriteString("updatedAt", JsDate.Format(u.UpdatedAt));
        WriteExtra(w, u, schema.UserFields, includeHidden);
        w.WriteString("id", u.Id);
        w.WriteEndObject();
    }

    public void WriteSession(Utf8JsonWriter w, Session s, bool includeHidden = false)
    {
        w.WriteStartObject();
        w.WriteString("expiresAt", JsDate.Format(s.ExpiresAt));
        w.WriteString("token", s.Token);
        w.WriteString("createdAt", JsDate.Format(s.CreatedAt));
        w.WriteString("updatedAt", JsDate.Format(s.UpdatedAt));
        WriteNullable(w, "ipAddress", s.IpAddress);
        WriteNullable(w, "userAgent", s.UserAgent);
        w.WriteString("userId", s.UserId);
        WriteExtra(w, s, schema.SessionFields, includeHidden);
        w.WriteString("id", s.Id);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    private static void WriteExtra(Utf8JsonWriter w, ExtensibleEntity row, IReadOnlyList<FieldDefinition> fields, bool includeHidden)
    {
        foreach (var f in fields)
        {
            if (!f.Returned && !includeHidden) continue;
            w.WritePropertyName(f.Name);
            WriteValue(w, row[f.Name]);
        }
    }

    internal static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case DateTime d: w.WriteStringValue(JsDate.Format(d)); break;
            case long l: w.WriteNumberValue(l); break;
            case int i: w.WriteNumberValue(i); break;
            case double d: w.WriteNumberValue(d); break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }
}

internal sealed class UserJsonConverter(RowJsonWriter rows) : JsonConverter<User>
{
    public override User Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
    public override void Write(Utf8JsonWriter writer, User value, JsonSerializerOptions options) => rows.WriteUser(writer, value);
}

internal sealed class SessionJsonConverter(RowJsonWriter rows) : JsonConverter<Session>
{
    public override Session Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
    public override void Write(Utf8JsonWriter writer, Session value, JsonSerializerOptions options) => rows.WriteSession(writer, value);
}
