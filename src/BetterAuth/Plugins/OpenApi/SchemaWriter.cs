using System.Text.Json.Nodes;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>Writes an endpoint's <see cref="ApiSchema"/> as an OpenAPI 3.1 (JSON Schema 2020-12) schema object.</summary>
internal static class SchemaWriter
{
    public static JsonObject Write(ApiSchema schema)
    {
        if (schema.Model is not null)
        {
            var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + schema.Model };
            // 3.1 has no "nullable": a nullable reference is "this model or null".
            return schema.Nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, NullType()) } : reference;
        }
        if (schema.OneOf is not null)
        {
            var options = new JsonArray([.. schema.OneOf.Select(Write)]);
            if (schema.Nullable) options.Add(NullType());
            return new JsonObject { ["oneOf"] = options };
        }

        var result = new JsonObject();
        if (schema.Type is not null) result["type"] = schema.Nullable ? new JsonArray(schema.Type, "null") : schema.Type;
        if (schema.Format is not null) result["format"] = schema.Format;
        if (schema.Enum is not null) result["enum"] = new JsonArray([.. schema.Enum.Select(v => (JsonNode)v!)]);
        if (schema.Items is not null) result["items"] = Write(schema.Items);
        if (schema.Properties is not null)
        {
            var properties = new JsonObject();
            foreach (var field in schema.Properties) properties[field.Name] = Property(field);
            result["properties"] = properties;
            var required = schema.Properties.Where(f => f.IsRequired).Select(f => (JsonNode)f.Name!).ToArray();
            if (required.Length > 0) result["required"] = new JsonArray(required);
        }
        if (schema.Values is not null) result["additionalProperties"] = Write(schema.Values);
        return result;
    }

    private static JsonObject Property(ApiField field)
    {
        var property = Write(field.Schema);
        if (field.Description is not null) property["description"] = field.Description;
        return property;
    }

    private static JsonObject NullType() => new() { ["type"] = "null" };
}
