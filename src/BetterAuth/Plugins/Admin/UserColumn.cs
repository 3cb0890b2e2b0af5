using System.Globalization;
using System.Linq.Expressions;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// A user column the admin API may query by its Better Auth field name: the core columns and every plugin column
/// that is returned to clients (a hidden column cannot be probed through filters).
/// </summary>
internal sealed record UserColumn(string Name, string Property, Type ClrType, FieldType Kind)
{
    public bool Nullable => !ClrType.IsValueType || System.Nullable.GetUnderlyingType(ClrType) is not null;

    /// <summary><c>EF.Property&lt;T&gt;(u, "Property")</c>, which EF Core maps to the column (indexer properties included).</summary>
    public Expression Access(ParameterExpression user) =>
        Expression.Call(typeof(EF), nameof(EF.Property), [ClrType], user, Expression.Constant(Property));

    /// <summary>A query-string value as this column's type; a value that is not one is a 400.</summary>
    public object? ParseValue(string raw)
    {
        switch (Kind)
        {
            case FieldType.String:
                return raw;
            case FieldType.Boolean:
                // Better Auth stores any non-empty string as 1, so "false" matched true rows; read it as meant.
                return raw switch { "true" or "1" => true, "false" or "0" => false, _ => throw AuthError.InvalidQuery() };
            case FieldType.Number:
                return long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw AuthError.InvalidQuery();
            default:
                try { return JsDate.Parse(raw); }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException) { throw AuthError.InvalidQuery(); }
        }
    }

    public static IReadOnlyDictionary<string, UserColumn> All(AuthSchema schema)
    {
        var columns = new Dictionary<string, UserColumn>(StringComparer.Ordinal)
        {
            ["id"] = new("id", nameof(User.Id), typeof(string), FieldType.String),
            ["name"] = new("name", nameof(User.Name), typeof(string), FieldType.String),
            ["email"] = new("email", nameof(User.Email), typeof(string), FieldType.String),
            ["emailVerified"] = new("emailVerified", nameof(User.EmailVerified), typeof(bool), FieldType.Boolean),
            ["image"] = new("image", nameof(User.Image), typeof(string), FieldType.String),
            ["createdAt"] = new("createdAt", nameof(User.CreatedAt), typeof(DateTime), FieldType.Date),
            ["updatedAt"] = new("updatedAt", nameof(User.UpdatedAt), typeof(DateTime), FieldType.Date),
        };
        foreach (var f in schema.UserFields)
            if (f.Returned) columns.TryAdd(f.Name, new UserColumn(f.Name, f.Name, f.ClrType, f.Type));
        return columns;
    }
}
