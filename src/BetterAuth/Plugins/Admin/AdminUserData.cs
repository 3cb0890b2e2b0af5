using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// create-user's <c>data</c>: an admin may set any user column, including those clients cannot (input:false) and the
/// id. Unknown keys are ignored, as Better Auth's adapter drops them; a value of the wrong type is a validation error
/// (Better Auth would store it as given).
/// </summary>
internal static class AdminUserData
{
    public static void Apply(AuthSchema schema, JsonElement data, User user)
    {
        foreach (var member in data.EnumerateObject())
        {
            var v = member.Value;
            switch (member.Name)
            {
                case "id":
                    if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } id) user.Id = id;
                    else if (v.ValueKind != JsonValueKind.Null) throw AuthError.InvalidBody();
                    break;
                case "name": user.Name = String(v) ?? throw AuthError.InvalidBody(); break;
                case "email": user.Email = (String(v) ?? throw AuthError.InvalidBody()).ToLowerInvariant(); break;
                case "image": user.Image = String(v); break;
                case "emailVerified": user.EmailVerified = Value(FieldType.Boolean, v) as bool? ?? throw AuthError.InvalidBody(); break;
                case "createdAt": user.CreatedAt = Value(FieldType.Date, v) as DateTime? ?? throw AuthError.InvalidBody(); break;
                case "updatedAt": user.UpdatedAt = Value(FieldType.Date, v) as DateTime? ?? throw AuthError.InvalidBody(); break;
                default:
                    if (schema.UserFields.FirstOrDefault(f => f.Name == member.Name) is { } field)
                        user[field.Name] = field.TransformInput is { } t ? t(Value(field.Type, v)) : Value(field.Type, v);
                    break;
            }
        }
    }

    private static string? String(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null => null,
        _ => throw AuthError.InvalidBody(),
    };

    private static object? Value(FieldType type, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null) return null;
        switch (type)
        {
            case FieldType.String when v.ValueKind == JsonValueKind.String: return v.GetString();
            case FieldType.Boolean when v.ValueKind is JsonValueKind.True or JsonValueKind.False: return v.GetBoolean();
            case FieldType.Number when v.TryGetInt64(out var n): return n;
            case FieldType.Date: return Date(v);
            default: throw AuthError.InvalidBody();
        }
    }

    /// <summary>An ISO date string or epoch milliseconds, as a JavaScript Date would take them.</summary>
    private static DateTime Date(JsonElement v)
    {
        try
        {
            if (v.ValueKind == JsonValueKind.String) return JsDate.Parse(v.GetString()!);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var ms)) return DateTime.UnixEpoch.AddMilliseconds(ms);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { }
        throw AuthError.InvalidBody();
    }
}
