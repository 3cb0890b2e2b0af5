using System.Globalization;
using System.Text.Json;
using BetterAuth.Core.Errors;

namespace BetterAuth.Core.Http;

/// <summary>
/// What a body member may be instead of a value of its type. Each read names the rule of the zod schema it mirrors,
/// so the null rule of every field is stated where the field is read.
/// </summary>
internal enum Presence
{
    /// <summary><c>z.x()</c>: the member must be there with a value; absent or <c>null</c> is VALIDATION_ERROR.</summary>
    Required,
    /// <summary><c>z.x().optional()</c>: absent reads as no value; <c>null</c> is VALIDATION_ERROR (zod's optional refuses it).</summary>
    Optional,
    /// <summary>
    /// <c>z.x().nullish()</c>, or a member of an untyped record (sign-up, update-user): absent and <c>null</c> both read
    /// as no value. A flow that gives <c>null</c> a meaning of its own (update-user's <c>image: null</c> clears the image)
    /// asks <see cref="BodyFields.IsNull"/> as well.
    /// </summary>
    Nullish,
}

/// <summary>
/// The one reader of JSON body members for endpoints that read their body member by member (sign-up and update-user,
/// whose bodies are records with plugin fields; the admin, organization and API-key plugins): every read states its
/// <see cref="Presence"/>, and a value of another type than the read's is always 400 VALIDATION_ERROR without details,
/// as better-call answers a failed zod check. Unknown members are ignored. Endpoints with a fixed shape deserialise
/// a typed request instead (<see cref="AuthContext.ReadBody{T}"/>), where a nullable member reads null as absent.
/// </summary>
internal readonly struct BodyFields(JsonElement body)
{
    /// <summary>The request's body, which must be a JSON object.</summary>
    public static BodyFields Read(AuthContext ctx) => new(ctx.BodyObject());

    /// <summary>True when the member is there, whatever its value (<c>null</c> included).</summary>
    public bool Has(string name) => body.TryGetProperty(name, out _);

    /// <summary>True when the member is there with the value <c>null</c>.</summary>
    public bool IsNull(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null;

    /// <summary>True when the member is there with a string value.</summary>
    public bool IsString(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String;

    /// <summary>The member's raw value when it is there (<c>null</c> included), for values read by their own rules.</summary>
    public JsonElement? Raw(string name) => body.TryGetProperty(name, out var v) ? v : null;

    /// <summary>A string member.</summary>
    public string? String(string name, Presence presence) =>
        Value(name, presence) is not { } v ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()! : throw AuthError.InvalidBody();

    /// <summary>A string member that must be there (<see cref="Presence.Required"/>).</summary>
    public string RequiredString(string name) => String(name, Presence.Required)!;

    /// <summary>A boolean member.</summary>
    public bool? Bool(string name, Presence presence) =>
        Value(name, presence) is not { } v ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw AuthError.InvalidBody();

    /// <summary>A finite number member, at least <paramref name="min"/> when given.</summary>
    public double? Number(string name, Presence presence, double? min = null)
    {
        if (Value(name, presence) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var n) || !double.IsFinite(n) || n < min)
            throw AuthError.InvalidBody();
        return n;
    }

    /// <summary>A number member that must be whole and fit a 64-bit column comfortably (a count, milliseconds).</summary>
    public long? Whole(string name, Presence presence, double? min = null)
    {
        if (Number(name, presence, min) is not { } n) return null;
        if (n != Math.Floor(n) || n > long.MaxValue / 2 || n < long.MinValue / 2) throw AuthError.InvalidBody();
        return (long)n;
    }

    /// <summary>An object member (zod's <c>z.record(z.string(), z.any())</c>), copied out of the body.</summary>
    public JsonElement? Object(string name, Presence presence) =>
        Value(name, presence) is not { } v ? null
        : v.ValueKind == JsonValueKind.Object ? v.Clone() : throw AuthError.InvalidBody();

    /// <summary>A role or a list of roles (<c>string | string[]</c>), joined with commas as Better Auth stores them.</summary>
    public string? Roles(string name, Presence presence)
    {
        if (Value(name, presence) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
        var roles = new List<string>();
        foreach (var item in v.EnumerateArray())
            roles.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw AuthError.InvalidBody());
        return Access.AccessRoles.Join(roles);
    }

    /// <summary>
    /// Actions by resource, <c>{resource: [action, ...]}</c> (zod's <c>z.record(z.string(), z.array(z.string()))</c>).
    /// A resource named twice keeps its first place and its last list, as JavaScript's <c>JSON.parse</c> reads it.
    /// </summary>
    public List<KeyValuePair<string, IReadOnlyList<string>>>? Permissions(string name, Presence presence)
    {
        if (Value(name, presence) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Object) throw AuthError.InvalidBody();
        var request = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var resource in v.EnumerateObject())
        {
            if (resource.Value.ValueKind != JsonValueKind.Array) throw AuthError.InvalidBody();
            var actions = new List<string>();
            foreach (var action in resource.Value.EnumerateArray())
                actions.Add(action.ValueKind == JsonValueKind.String ? action.GetString()! : throw AuthError.InvalidBody());
            var entry = new KeyValuePair<string, IReadOnlyList<string>>(resource.Name, actions);
            var seen = request.FindIndex(p => p.Key == resource.Name);
            if (seen < 0) request.Add(entry);
            else request[seen] = entry;
        }
        return request;
    }

    /// <summary>
    /// <c>z.coerce.string()</c>: any value becomes its JavaScript string form (<c>String(value)</c>): an absent member
    /// "undefined", <c>null</c> "null", an object "[object Object]", an array its elements joined by commas. No value is
    /// refused; such ids simply match nothing (or what a one-element array names), as in Better Auth.
    /// </summary>
    public string CoercedString(string name) => body.TryGetProperty(name, out var v) ? JsString(v, topLevel: true) : "undefined";

    /// <summary><c>z.coerce.string().optional()</c>: absent reads as no value; anything there is coerced (<c>null</c> → "null").</summary>
    public string? OptionalCoercedString(string name) => Has(name) ? CoercedString(name) : null;

    /// <summary>The member's value, or null when <paramref name="presence"/> lets it be missing; VALIDATION_ERROR otherwise.</summary>
    private JsonElement? Value(string name, Presence presence)
    {
        var there = body.TryGetProperty(name, out var v);
        if (there && v.ValueKind != JsonValueKind.Null) return v;
        return presence switch
        {
            Presence.Nullish => null,
            Presence.Optional when !there => null,
            _ => throw AuthError.InvalidBody(),
        };
    }

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
}
