using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// create-user's <c>data</c>. An admin may set the core columns (id, name, email, image, emailVerified, createdAt,
/// updatedAt), every field that accepts client input, and the admin plugin's own role and ban columns (the caller
/// checks the permission each needs). A column another plugin writes only through its own flows (phoneNumber,
/// phoneNumberVerified, twoFactorEnabled, isAnonymous...) is refused with FIELD_NOT_ALLOWED. Unknown keys are
/// ignored, as Better Auth's adapter drops them; a value of the wrong type is a validation error.
/// </summary>
internal static class AdminUserData
{
    /// <summary>The admin plugin's columns that <c>data</c> may carry, each behind its own permission.</summary>
    private static readonly string[] OwnColumns = [AdminFields.Role, AdminFields.Banned, AdminFields.BanReason, AdminFields.BanExpires];

    /// <summary>The ban columns <c>data</c> names, which need the <c>user:ban</c> permission.</summary>
    public static bool SetsBan(JsonElement data) =>
        data.TryGetProperty(AdminFields.Banned, out _) || data.TryGetProperty(AdminFields.BanReason, out _) ||
        data.TryGetProperty(AdminFields.BanExpires, out _);

    public static void Apply(AuthSchema schema, JsonElement data, User user)
    {
        var fields = new BodyFields(data);
        foreach (var member in data.EnumerateObject())
        {
            var v = member.Value;
            switch (member.Name)
            {
                case "id":
                    if (fields.String("id", Presence.Nullish) is { Length: > 0 } id) user.Id = id;
                    else if (!fields.IsNull("id")) throw AuthError.InvalidBody();
                    break;
                case "name": user.Name = fields.RequiredString("name"); break;
                case "email": user.Email = fields.RequiredString("email").ToLowerInvariant(); break;
                case "image": user.Image = fields.String("image", Presence.Nullish); break;
                case "emailVerified": user.EmailVerified = Core(FieldType.Boolean, v) as bool? ?? throw AuthError.InvalidBody(); break;
                case "createdAt": user.CreatedAt = Core(FieldType.Date, v) as DateTime? ?? throw AuthError.InvalidBody(); break;
                case "updatedAt": user.UpdatedAt = Core(FieldType.Date, v) as DateTime? ?? throw AuthError.InvalidBody(); break;
            }
        }
        // The role is read by create-user itself (a string or a list, like its top-level role).
        foreach (var name in OwnColumns.Skip(1))
            if (data.TryGetProperty(name, out var v) && schema.UserFields.FirstOrDefault(f => f.Name == name) is { } field)
                user[name] = UserInput.ReadValue(field, v);
        UserInput.Apply(user, UserInput.ReadFields(schema, data, UserWrite.Admin, OwnColumns));
    }

    private static object? Core(FieldType type, JsonElement v) => UserInput.ReadValue(new FieldDefinition("core", type), v);
}
