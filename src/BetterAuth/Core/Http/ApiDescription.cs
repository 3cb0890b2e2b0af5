namespace BetterAuth.Core.Http;

/// <summary>
/// The JSON shape of a value as an endpoint documents it: the small part of JSON Schema an auth API needs
/// (scalars, arrays, objects, maps, references to stored models, alternatives). The OpenAPI plugin writes it out.
/// </summary>
public sealed record ApiSchema
{
    /// <summary>JSON Schema type: string, boolean, number, integer, array, object or null. Unset for a reference or an alternative.</summary>
    public string? Type { get; init; }
    /// <summary>OpenAPI format, e.g. <c>date-time</c>.</summary>
    public string? Format { get; init; }
    /// <summary>A stored model documented under <c>components.schemas</c>, e.g. <c>User</c>.</summary>
    public string? Model { get; init; }
    /// <summary>Element schema of an array.</summary>
    public ApiSchema? Items { get; init; }
    /// <summary>Fields of an object.</summary>
    public IReadOnlyList<ApiField>? Properties { get; init; }
    /// <summary>The type of every value of an object used as a map (<c>additionalProperties</c>).</summary>
    public ApiSchema? Values { get; init; }
    /// <summary>Alternatives.</summary>
    public IReadOnlyList<ApiSchema>? OneOf { get; init; }
    /// <summary>Allowed string values.</summary>
    public IReadOnlyList<string>? Enum { get; init; }
    /// <summary>Whether null is allowed.</summary>
    public bool Nullable { get; init; }

    /// <summary>A string.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Public API: named after the OpenAPI type it describes.")]
    public static readonly ApiSchema String = new() { Type = "string" };
    /// <summary>A boolean.</summary>
    public static readonly ApiSchema Boolean = new() { Type = "boolean" };
    /// <summary>A number.</summary>
    public static readonly ApiSchema Number = new() { Type = "number" };
    /// <summary>Always JSON <c>null</c> (a member Better Auth answers but never fills).</summary>
    public static readonly ApiSchema Null = new() { Type = "null" };
    /// <summary>An ISO-8601 date and time.</summary>
    public static readonly ApiSchema DateTime = new() { Type = "string", Format = "date-time" };
    /// <summary>Any JSON object (zod's <c>z.record(z.string(), z.any())</c>).</summary>
    public static readonly ApiSchema AnyObject = new() { Type = "object" };
    /// <summary>An array of strings.</summary>
    public static readonly ApiSchema Strings = ArrayOf(String);
    /// <summary>A string or a list of strings (roles, scopes given either way).</summary>
    public static readonly ApiSchema StringOrStrings = Either(String, Strings);

    /// <summary>An array of the given schema.</summary>
    public static ApiSchema ArrayOf(ApiSchema items) => new() { Type = "array", Items = items };
    /// <summary>An object with the given fields.</summary>
    public static ApiSchema ObjectOf(params ApiField[] properties) => new() { Type = "object", Properties = properties };
    /// <summary>An object whose values have the given schema.</summary>
    public static ApiSchema MapOf(ApiSchema values) => new() { Type = "object", Values = values };
    /// <summary>A reference to a named model (<c>#/components/schemas/…</c>).</summary>
    public static ApiSchema Ref(string model) => new() { Model = model };
    /// <summary>One of the given schemas.</summary>
    public static ApiSchema Either(params ApiSchema[] options) => new() { OneOf = options };
    /// <summary>A string limited to the given values.</summary>
    public static ApiSchema OneOfValues(params string[] values) => new() { Type = "string", Enum = values };

    /// <summary>The same shape, or JSON <c>null</c>.</summary>
    public ApiSchema OrNull() => this with { Nullable = true };
}

/// <summary>A named member of a request body, query string or response object.</summary>
public sealed record ApiField(string Name, ApiSchema Schema, string? Description = null)
{
    /// <summary>Whether the field must be present.</summary>
    public bool IsRequired { get; init; }

    /// <summary>This field, required.</summary>
    public ApiField Required() => this with { IsRequired = true };
    /// <summary>This field, nullable.</summary>
    public ApiField OrNull() => this with { Schema = Schema.OrNull() };
}

/// <summary>What a successful call answers, for the document's <c>responses</c>: 200 with a body, or a 302 redirect.</summary>
public sealed record ApiResponse(string Description, ApiSchema? Schema = null)
{
    /// <summary>Whether the endpoint answers with a redirect.</summary>
    public bool IsRedirect { get; init; }
}

/// <summary>
/// Short helpers for declaring an endpoint's documentation next to it, e.g.
/// <c>Body = [Str("email", "Email of the user").Required(), Bool("rememberMe")]</c>
/// (with <c>using static BetterAuth.Core.Http.ApiFields;</c>).
/// </summary>
public static class ApiFields
{
    /// <summary>A string field.</summary>
    public static ApiField Str(string name, string? description = null) => new(name, ApiSchema.String, description);
    /// <summary>A boolean field.</summary>
    public static ApiField Bool(string name, string? description = null) => new(name, ApiSchema.Boolean, description);
    /// <summary>A number field.</summary>
    public static ApiField Num(string name, string? description = null) => new(name, ApiSchema.Number, description);
    /// <summary>A date-time field.</summary>
    public static ApiField Date(string name, string? description = null) => new(name, ApiSchema.DateTime, description);
    /// <summary>A string-array field.</summary>
    public static ApiField Strings(string name, string? description = null) => new(name, ApiSchema.Strings, description);
    /// <summary>A free-form object field.</summary>
    public static ApiField AnyObject(string name, string? description = null) => new(name, ApiSchema.AnyObject, description);
    /// <summary>An object field with the given fields.</summary>
    public static ApiField Obj(string name, string? description, params ApiField[] properties) => new(name, ApiSchema.ObjectOf(properties), description);
    /// <summary>A field holding a named model.</summary>
    public static ApiField Model(string name, string model, string? description = null) => new(name, ApiSchema.Ref(model), description);
    /// <summary>A field holding an array of a named model.</summary>
    public static ApiField Models(string name, string model, string? description = null) => new(name, ApiSchema.ArrayOf(ApiSchema.Ref(model)), description);
    /// <summary>A field of any schema.</summary>
    public static ApiField Field(string name, ApiSchema schema, string? description = null) => new(name, schema, description);

    /// <summary>A 200 answer that is an object with these members.</summary>
    public static ApiResponse Returns(string description, params ApiField[] properties) => new(description, ApiSchema.ObjectOf(properties));
    /// <summary>A 200 answer with the given description and schema.</summary>
    public static ApiResponse Returns(string description, ApiSchema schema) => new(description, schema);
    /// <summary>An answer that is a redirect (302) to the given place.</summary>
    public static ApiResponse RedirectsTo(string description) => new(description) { IsRedirect = true };
}
