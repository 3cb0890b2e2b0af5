using System.Text.Json;
using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Users;

/// <summary>Which write path a body's user fields are read for; each treats a field that is not client input its own way.</summary>
internal enum UserWrite
{
    /// <summary>Sign-up: fields that are not <see cref="FieldDefinition.Input"/> are ignored, as Better Auth 1.2.12 ignores them.</summary>
    SignUp,
    /// <summary>update-user: as sign-up, except that a <see cref="FieldDefinition.ClientMayClear"/> field may be cleared with null.</summary>
    Update,
    /// <summary>
    /// An administrator's create-user <c>data</c>: a non-null value for a field that is not input is refused with 400
    /// <c>FIELD_NOT_ALLOWED</c>, so an admin tool learns at once that it was not stored.
    /// </summary>
    Admin,
}

/// <summary>
/// Client-given user fields (Better Auth's parseUserInput), read by every write path through <see cref="ReadFields"/>:
/// plugin columns that accept input are taken with their type checked and their input transform applied; the others
/// are written only by the flows of the plugin that declares them.
/// </summary>
internal static partial class UserInput
{
    public const string FieldNotAllowed = "FIELD_NOT_ALLOWED";

    /// <summary>
    /// The plugin fields <paramref name="body"/> sets on this write path, by name, converted and transformed.
    /// Fields in <paramref name="ownedByCaller"/> are left to the caller (its own columns, which it reads and checks
    /// itself); every other field follows its declaration.
    /// </summary>
    public static Dictionary<string, object?> ReadFields(AuthSchema schema, JsonElement body, UserWrite write,
        IReadOnlyCollection<string>? ownedByCaller = null)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in schema.UserFields)
        {
            if (!body.TryGetProperty(field.Name, out var value) || ownedByCaller?.Contains(field.Name) == true) continue;
            if (field.Input)
            {
                var converted = ReadValue(field, value);
                fields[field.Name] = field.TransformInput is null ? converted : field.TransformInput(converted);
            }
            else if (value.ValueKind == JsonValueKind.Null)
            {
                if (write == UserWrite.Update && field.ClientMayClear) fields[field.Name] = null;
            }
            else if (write == UserWrite.Admin)
            {
                throw new AuthError(400, $"{field.Name} is not allowed to be set", FieldNotAllowed);
            }
        }
        return fields;
    }

    /// <summary>Writes fields read by <see cref="ReadFields"/> onto a user row.</summary>
    public static void Apply(User user, IReadOnlyDictionary<string, object?> fields)
    {
        foreach (var (name, value) in fields) user[name] = value;
    }

    /// <summary>
    /// A JSON value as the field's type: null, a string, a boolean, an integer, or for dates an ISO string or epoch
    /// milliseconds (what a JavaScript Date takes); anything else is VALIDATION_ERROR.
    /// </summary>
    public static object? ReadValue(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        return field.Type switch
        {
            FieldType.String when value.ValueKind == JsonValueKind.String => value.GetString(),
            FieldType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            FieldType.Number when value.TryGetInt64(out var n) => n,
            FieldType.Date => ReadDate(value),
            _ => throw AuthError.InvalidBody(),
        };
    }

    private static DateTime ReadDate(JsonElement value)
    {
        try
        {
            if (value.ValueKind == JsonValueKind.String) return JsDate.Parse(value.GetString()!);
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms)) return DateTime.UnixEpoch.AddMilliseconds(ms);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { }
        throw AuthError.InvalidBody();
    }

    /// <summary>Email syntax as zod's <c>z.string().email()</c> (v3) accepts it.</summary>
    public static bool IsValidEmail(string? email) => email is not null && ZodEmail().IsMatch(email);

    [GeneratedRegex(@"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ZodEmail();
}
