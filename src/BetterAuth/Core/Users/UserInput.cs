using System.Text.Json;
using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Users;

/// <summary>
/// Client-given user fields (Better Auth's parseUserInput): plugin columns that accept input are copied from a
/// free-record body with their type checked and their input transform applied; <c>input:false</c> columns are ignored.
/// </summary>
internal static partial class UserInput
{
    /// <summary>Copies the body's plugin fields onto <paramref name="user"/>; returns how many were set.</summary>
    public static int ApplyAdditionalFields(AuthSchema schema, JsonElement body, User user)
    {
        var count = 0;
        foreach (var field in schema.UserFields)
        {
            if (!field.Input || !body.TryGetProperty(field.Name, out var value)) continue;
            var converted = Convert(field, value);
            user[field.Name] = field.TransformInput is null ? converted : field.TransformInput(converted);
            count++;
        }
        return count;
    }

    /// <summary>True when the body names a plugin field that clients may set.</summary>
    public static bool HasAdditionalFields(AuthSchema schema, JsonElement body) =>
        schema.UserFields.Any(f => f.Input && body.TryGetProperty(f.Name, out _));

    private static object? Convert(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        return field.Type switch
        {
            FieldType.String when value.ValueKind == JsonValueKind.String => value.GetString(),
            FieldType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            FieldType.Number when value.TryGetInt64(out var n) => n,
            FieldType.Date when value.ValueKind == JsonValueKind.String && DateTime.TryParse(value.GetString(),
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var d) => d,
            _ => throw AuthError.InvalidBody(),
        };
    }

    /// <summary>An optional string member: absent → null, a string → it, anything else → VALIDATION_ERROR.</summary>
    public static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw AuthError.InvalidBody();
    }

    /// <summary>Email syntax as zod's <c>z.string().email()</c> (v3) accepts it.</summary>
    public static bool IsValidEmail(string? email) => email is not null && ZodEmail().IsMatch(email);

    [GeneratedRegex(@"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ZodEmail();
}
