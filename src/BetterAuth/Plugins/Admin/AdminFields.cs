using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>The columns the admin plugin adds: user.role, banned, banReason, banExpires and session.impersonatedBy.</summary>
internal static class AdminFields
{
    public const string Role = "role";
    public const string Banned = "banned";
    public const string BanReason = "banReason";
    public const string BanExpires = "banExpires";
    public const string ImpersonatedBy = "impersonatedBy";

    // None accepts client input (sign-up, update-user); create-user's data sets them behind their permissions. banned has no default, so new users read banned:null as in
    // Better Auth 1.2.12 (its defaultValue:false is not applied on create there either).
    public static readonly FieldDefinition[] User =
    [
        new(Role, FieldType.String) { Input = false },
        new(Banned, FieldType.Boolean) { Input = false },
        new(BanReason, FieldType.String) { Input = false },
        new(BanExpires, FieldType.Date) { Input = false },
    ];

    // Set only by impersonate-user (later Better Auth declares it input:false too).
    public static readonly FieldDefinition[] Session =
    [
        new(ImpersonatedBy, FieldType.String) { Input = false },
    ];
}
