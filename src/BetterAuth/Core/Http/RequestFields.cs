using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BetterAuth.Core.Http;

/// <summary>
/// The documented fields of a typed request (<see cref="AuthEndpoint.Request"/>), read from the serializer's own
/// contract for it, the one <see cref="AuthContext.ReadBody{T}"/> deserialises with: each member's JSON name, its
/// type, whether it is required (a C# <c>required</c> member, which the serializer refuses to miss), in declaration
/// order. Descriptions come from <see cref="DescriptionAttribute"/> and allowed values from
/// <see cref="AllowedValuesAttribute"/> on the member.
/// </summary>
internal static class RequestFields
{
    private static readonly ConcurrentDictionary<JsonTypeInfo, IReadOnlyList<ApiField>> Cache = new();

    /// <summary>The fields of <paramref name="request"/>, an object type.</summary>
    public static IReadOnlyList<ApiField> Of(JsonTypeInfo request) => Cache.GetOrAdd(request, Derive);

    private static IReadOnlyList<ApiField> Derive(JsonTypeInfo request)
    {
        if (request.Kind != JsonTypeInfoKind.Object)
            throw new InvalidOperationException($"A request type must be a JSON object; {request.Type.Name} is not.");
        var fields = new List<ApiField>();
        foreach (var property in request.Properties)
        {
            var member = Member(request.Type, property);
            var schema = SchemaOf(property.PropertyType, request.Options);
            if (member?.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
                schema = schema with { Enum = [.. allowed.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!)] };
            fields.Add(new ApiField(property.Name, schema, member?.GetCustomAttribute<DescriptionAttribute>()?.Description)
            {
                IsRequired = property.IsRequired,
            });
        }
        return fields;
    }

    /// <summary>The C# member behind a serialized property, for its attributes.</summary>
    private static MemberInfo? Member(Type declaring, JsonPropertyInfo property) =>
        property.AttributeProvider as MemberInfo
        ?? declaring.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name) == property.Name);

    private static ApiSchema SchemaOf(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return ApiSchema.String;
        if (type == typeof(bool)) return ApiSchema.Boolean;
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return ApiSchema.DateTime;
        if (type.IsPrimitive || type == typeof(decimal)) return ApiSchema.Number;
        // Any JSON the handler checks itself (Better Auth's z.any() for an authenticator's response object).
        if (type == typeof(JsonElement)) return ApiSchema.AnyObject;
        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => ApiSchema.ArrayOf(SchemaOf(info.ElementType!, options)),
            JsonTypeInfoKind.Dictionary => ApiSchema.MapOf(SchemaOf(info.ElementType!, options)),
            JsonTypeInfoKind.Object => ApiSchema.ObjectOf([.. Of(info)]),
            _ => throw new NotSupportedException($"No documented JSON shape for request members of type {type.Name}."),
        };
    }
}
