using System.Text.Json.Nodes;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// <c>components.schemas</c> from the stored models, as Better Auth derives them from its tables: one schema per table
/// (core's and the enabled plugins', with the columns plugins add to user and session), named after the table with
/// its first letter capitalised (<c>user</c> → <c>User</c>, <c>twoFactor</c> → <c>TwoFactor</c>).
/// </summary>
internal static class ModelSchemas
{
    public static JsonObject Build(IModel model, AuthSchema fields)
    {
        // returned:false columns of user and session never appear in an answer, so no model documents them.
        var hidden = fields.UserFields.Concat(fields.SessionFields).Where(f => !f.Returned).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var schemas = new JsonObject();
        foreach (var entity in model.GetEntityTypes().OrderBy(Order).ThenBy(e => e.GetTableName(), StringComparer.Ordinal))
        {
            var table = entity.GetTableName();
            if (string.IsNullOrEmpty(table)) continue;
            var properties = new JsonObject();
            var required = new JsonArray();
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                if (table is "user" or "session" && hidden.Contains(column)) continue;
                var type = Type(property.ClrType);
                // A nullable column is answered as JSON null when empty (an image never set, a ban never lifted).
                if (property.IsNullable) type["type"] = new JsonArray(type["type"]!.GetValue<string>(), "null");
                else required.Add(column);
                properties[column] = type;
            }
            schemas[char.ToUpperInvariant(table[0]) + table[1..]] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = required,
            };
        }
        return schemas;
    }

    /// <summary>Core's four tables first, in Better Auth's order, then the plugins' tables by name.</summary>
    private static int Order(IEntityType entity) => entity.GetTableName() switch
    {
        "user" => 0,
        "session" => 1,
        "account" => 2,
        "verification" => 3,
        _ => 4,
    };

    private static JsonObject Type(Type clr)
    {
        var type = Nullable.GetUnderlyingType(clr) ?? clr;
        if (type == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(int) || type == typeof(long)) return new JsonObject { ["type"] = "integer" };
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return new JsonObject { ["type"] = "number" };
        return new JsonObject { ["type"] = "string" };
    }
}
