using System.Text.Json;
using BetterAuth.Core.Errors;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Reads the members of a create or update body as Better Auth's zod schemas type them: a member of the wrong type,
/// or below its minimum, is a 400 VALIDATION_ERROR. Absent and JSON null are told apart where Better Auth does
/// (update's <c>expiresIn: null</c> clears the expiry; create's refill fields may not be null).
/// </summary>
internal sealed class ApiKeyInput(JsonElement body)
{
    public bool Has(string name) => body.TryGetProperty(name, out _);

    public bool IsNull(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;

    public JsonElement? Raw(string name) => body.TryGetProperty(name, out var v) ? v : null;

    public string? String(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw AuthError.InvalidBody();
    }

    public bool? Bool(string name)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw AuthError.InvalidBody(),
        };
    }

    /// <summary>A number member; JSON null is accepted (as absent) only when <paramref name="nullable"/>.</summary>
    public double? Number(string name, bool nullable = false, double? min = null)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Null) return nullable ? null : throw AuthError.InvalidBody();
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var n) || !double.IsFinite(n)) throw AuthError.InvalidBody();
        if (n < min) throw AuthError.InvalidBody();
        return n;
    }

    /// <summary>A count or a duration in milliseconds for a column: a whole number within range.</summary>
    public long? Whole(string name, bool nullable = false, double? min = null)
    {
        if (Number(name, nullable, min) is not { } n) return null;
        if (n != Math.Floor(n) || n > long.MaxValue / 2 || n < long.MinValue / 2) throw AuthError.InvalidBody();
        return (long)n;
    }

    /// <summary><c>z.record(z.string(), z.array(z.string()))</c>; JSON null only when <paramref name="nullable"/>.</summary>
    public Dictionary<string, string[]>? Permissions(string name, bool nullable = false)
    {
        if (!body.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Null) return nullable ? null : throw AuthError.InvalidBody();
        if (v.ValueKind != JsonValueKind.Object) throw AuthError.InvalidBody();
        var permissions = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var resource in v.EnumerateObject())
        {
            if (resource.Value.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
            var actions = new List<string>();
            foreach (var action in resource.Value.EnumerateArray())
                actions.Add(action.ValueKind == JsonValueKind.String ? action.GetString()! : throw AuthError.InvalidBody());
            permissions[resource.Name] = actions.ToArray();
        }
        return permissions;
    }

    /// <summary>Better Auth's prefix rule: <c>/^[a-zA-Z0-9_-]+$/</c>.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length > 0 && prefix.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-');
}
