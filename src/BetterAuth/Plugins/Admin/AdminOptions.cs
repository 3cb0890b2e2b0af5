namespace BetterAuth.Plugins.Admin;

/// <summary>
/// The admin plugin's options, with Better Auth's defaults (plugins/admin/admin.ts at 1.2.12). Every property can be
/// bound from configuration (the standalone server binds <c>Plugins:Admin</c>), e.g.
/// <c>Plugins__Admin__AdminUserIds__0=&lt;user id&gt;</c>.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>Role written on every new user that has none. Default "user".</summary>
    public string DefaultRole { get; set; } = "user";

    /// <summary>
    /// Roles that make a user an admin for the "cannot impersonate an admin" rule. Null means Better Auth's default
    /// <c>["admin"]</c> (a nullable list, so configuration binding replaces the default instead of appending to it).
    /// </summary>
    public List<string>? AdminRoles { get; set; }

    /// <summary>Users allowed everything, whatever their role (Better Auth's adminUserIds). Default none.</summary>
    public List<string> AdminUserIds { get; set; } = new();

    /// <summary>Reason stored when a ban gives none. Default none, which stores "No reason".</summary>
    public string? DefaultBanReason { get; set; }

    /// <summary>Seconds until a ban that gives no banExpiresIn ends. Default none: such bans never expire.</summary>
    public int? DefaultBanExpiresIn { get; set; }

    /// <summary>Lifetime of an impersonation session, in seconds. Default 1 hour.</summary>
    public int ImpersonationSessionDuration { get; set; } = 60 * 60;

    /// <summary>Message (with code BANNED_USER) answered when a banned user tries to get a session.</summary>
    public string BannedUserMessage { get; set; } =
        "You have been banned from this application. Please contact support if you believe this is an error.";

    /// <summary>
    /// Role name → resource → allowed actions, replacing the default roles (<c>admin</c> with every admin action,
    /// <c>user</c> with none) as Better Auth's <c>roles</c> option does; include an <c>admin</c> entry to keep one.
    /// Null keeps the defaults.
    /// </summary>
    public Dictionary<string, Dictionary<string, List<string>>>? Roles { get; set; }

    /// <summary>
    /// Let admins impersonate other admins (users with an <see cref="AdminRoles"/> role or in <see cref="AdminUserIds"/>).
    /// Default false: only a role granting <c>user: impersonate-admins</c> may (later Better Auth releases' rule; 1.2.12
    /// had no such check).
    /// </summary>
    public bool AllowImpersonatingAdmins { get; set; }
}
