using System.Globalization;
using System.Text.Json;
using BetterAuth.Core.Errors;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// Reads the admin endpoints' bodies with the same acceptance rules as their zod schemas, so what the reference
/// takes (or refuses with VALIDATION_ERROR) is taken (or refused) here too.
/// </summary>
internal static class AdminBody
{
    /// <summary>
    /// <c>z.coerce.string()</c>: any value becomes its JavaScript string form (<c>String(value)</c>), an absent member
    /// "undefined" and null "null", an object "[object Object]" and an array its elements joined by commas, so such ids
    /// simply match no user (or the user named by a one-element array), as in Better Auth.
    /// </summary>
    public static string CoercedString(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? JsString(v, topLevel: true) : "undefined";

    /// <summary>JavaScript's <c>String()</c> of a JSON value; inside an array (Array.prototype.join) null is "".</summary>
    private static string JsString(JsonElement v, bool topLevel) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Null => topLevel ? "null" : "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : v.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.Array => string.Join(",", v.EnumerateArray().Select(e => JsString(e, topLevel: false))),
        _ => "[object Object]",
    };

    /// <summary><c>z.coerce.string().optional()</c>: absent stays absent.</summary>
    public static string? OptionalCoercedString(JsonElement body, string name) =>
        body.TryGetProperty(name, out _) ? CoercedString(body, name) : null;

    /// <summary><c>z.string()</c>: present and a string.</summary>
    public static string RequiredString(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw AuthError.InvalidBody();

    /// <summary><c>z.string().optional()</c>: absent, or a string (null is refused, as zod does).</summary>
    public static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw AuthError.InvalidBody();
    }

    /// <summary><c>z.number().optional()</c>.</summary>
    public static double? OptionalNumber(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw AuthError.InvalidBody();
    }

    /// <summary>A role given as a string or an array of strings, stored comma-joined; null when absent and optional.</summary>
    public static string? Roles(JsonElement body, string name, bool required)
    {
        if (!body.TryGetProperty(name, out var v)) return required ? throw AuthError.InvalidBody() : null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
        var roles = new List<string>();
        foreach (var item in v.EnumerateArray())
            roles.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw AuthError.InvalidBody());
        return Core.Access.AccessRoles.Join(roles);
    }

    /// <summary>A permission request <c>{resource: [action, ...]}</c> (zod <c>z.record(z.string(), z.array(z.string()))</c>).</summary>
    public static List<KeyValuePair<string, IReadOnlyList<string>>> Permissions(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw AuthError.InvalidBody();
        var request = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var resource in value.EnumerateObject())
        {
            if (resource.Value.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
            var actions = new List<string>();
            foreach (var a in resource.Value.EnumerateArray())
                actions.Add(a.ValueKind == JsonValueKind.String ? a.GetString()! : throw AuthError.InvalidBody());
            request.Add(new(resource.Name, actions));
        }
        return request;
    }
}
