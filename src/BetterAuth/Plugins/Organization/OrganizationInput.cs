using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// The plugin's request bodies and queries checked the way its zod schemas check them: a wrong type, or a JSON
/// <c>null</c> where the schema says optional (zod's optional refuses null), is VALIDATION_ERROR without details.
/// Handlers read every field before looking at the session, because better-call validates before the middlewares run.
/// </summary>
internal readonly struct OrganizationBody(JsonElement body)
{
    public static OrganizationBody Read(AuthContext ctx) => new(ctx.BodyObject());

    public bool Has(string name) => body.TryGetProperty(name, out _);

    public bool IsString(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String;

    public string RequiredString(string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw AuthError.InvalidBody();

    public string? OptionalString(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw AuthError.InvalidBody();
    }

    /// <summary>A string that may also be JSON null (zod's <c>.nullable().optional()</c>): absent, null or a string.</summary>
    public (bool IsNull, string? Value) NullableString(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return (false, null);
        return v.ValueKind switch
        {
            JsonValueKind.Null => (true, null),
            JsonValueKind.String => (false, v.GetString()),
            _ => throw AuthError.InvalidBody(),
        };
    }

    public bool? OptionalBool(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw AuthError.InvalidBody();
    }

    /// <summary>zod's <c>z.record(z.string(), z.any())</c>: any JSON object.</summary>
    public JsonElement? OptionalObject(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Object ? v.Clone() : throw AuthError.InvalidBody();
    }

    /// <summary>A role or a list of roles (<c>string | string[]</c>), joined with commas as Better Auth stores them.</summary>
    public string RequiredRoles(string name)
    {
        if (!body.TryGetProperty(name, out var v)) throw AuthError.InvalidBody();
        if (v.ValueKind == JsonValueKind.String) return v.GetString()!;
        if (v.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
        var roles = new List<string>();
        foreach (var item in v.EnumerateArray())
            roles.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw AuthError.InvalidBody());
        return string.Join(",", roles);
    }

    /// <summary>A permission request <c>{resource: [action, ...]}</c>; absent → null.</summary>
    public List<KeyValuePair<string, IReadOnlyList<string>>>? OptionalPermissions(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw AuthError.InvalidBody();
        var request = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var resource in v.EnumerateObject())
        {
            if (resource.Value.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
            var actions = new List<string>();
            foreach (var action in resource.Value.EnumerateArray())
                actions.Add(action.ValueKind == JsonValueKind.String ? action.GetString()! : throw AuthError.InvalidBody());
            // JSON objects may repeat a key; JavaScript keeps the last one.
            request.RemoveAll(p => p.Key == resource.Name);
            request.Add(new(resource.Name, actions));
        }
        return request;
    }
}

internal static class OrganizationQuery
{
    /// <summary>An optional query parameter; a repeated key is an array, which a string schema refuses.</summary>
    public static string? Optional(AuthContext ctx, string name)
    {
        var values = ctx.Http.Request.Query[name];
        if (values.Count > 1) throw AuthError.InvalidQuery();
        return values.Count == 0 ? null : values[0];
    }

    public static string Required(AuthContext ctx, string name) => Optional(ctx, name) ?? throw AuthError.InvalidQuery();
}
