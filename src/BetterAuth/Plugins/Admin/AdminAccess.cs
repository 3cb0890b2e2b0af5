using BetterAuth.Core.Access;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// Who may do what through the admin API (plugins/admin/access and has-permission.ts): users listed in adminUserIds
/// may do everything; everyone else is judged by their comma-joined roles, any one of which must grant the request.
/// </summary>
internal sealed class AdminAccess
{
    /// <summary>Every action the admin plugin knows, by resource.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Statements = new Dictionary<string, string[]>
    {
        ["user"] = ["create", "list", "set-role", "ban", "impersonate", "impersonate-admins", "delete", "set-password"],
        ["session"] = ["list", "revoke", "delete"],
    };

    /// <summary>Better Auth's default roles: admin may do every admin action (but not impersonate other admins), user nothing.</summary>
    public static IReadOnlyDictionary<string, AccessRole> DefaultRoles { get; } = new Dictionary<string, AccessRole>(StringComparer.Ordinal)
    {
        ["admin"] = AccessRole.Of(
            ("user", ["create", "list", "set-role", "ban", "impersonate", "delete", "set-password"]),
            ("session", ["list", "revoke", "delete"])),
        ["user"] = AccessRole.Of(("user", []), ("session", [])),
    };

    private readonly AdminOptions _options;
    private readonly HashSet<string> _adminUserIds;
    private readonly string[] _adminRoles;

    public AdminAccess(AdminOptions options)
    {
        _options = options;
        _adminUserIds = new HashSet<string>(options.AdminUserIds.Where(id => !string.IsNullOrEmpty(id)), StringComparer.Ordinal);
        _adminRoles = (options.AdminRoles is { Count: > 0 } r ? r : ["admin"]).Select(x => x.Trim()).ToArray();
        Roles = options.Roles is null ? DefaultRoles : options.Roles.ToDictionary(
            role => role.Key,
            role => new AccessRole(role.Value.Select(s => new KeyValuePair<string, IEnumerable<string>>(s.Key, s.Value))),
            StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, AccessRole> Roles { get; }

    /// <summary>Better Auth's hasPermission: adminUserIds first, then the roles (a missing role is the default role).</summary>
    public bool HasPermission(string? userId, string? role, IReadOnlyCollection<KeyValuePair<string, IReadOnlyList<string>>> request)
    {
        if (!string.IsNullOrEmpty(userId) && _adminUserIds.Contains(userId)) return true;
        var roles = !string.IsNullOrEmpty(role) ? role : !string.IsNullOrEmpty(_options.DefaultRole) ? _options.DefaultRole : "user";
        return AccessRoles.AnyGrants(Roles, roles, request);
    }

    /// <summary>Whether <paramref name="user"/> may perform one action on one resource.</summary>
    public bool Can(User user, string resource, string action) =>
        HasPermission(user.Id, user.Get<string>(AdminFields.Role), [new(resource, [action])]);

    /// <summary>True for users whose role is an admin role, or who are in adminUserIds.</summary>
    public bool IsAdmin(User user)
    {
        if (_adminUserIds.Contains(user.Id)) return true;
        var role = user.Get<string>(AdminFields.Role);
        var roles = AccessRoles.Split(!string.IsNullOrEmpty(role) ? role : _options.DefaultRole is { Length: > 0 } d ? d : "user");
        return roles.Any(r => _adminRoles.Contains(r, StringComparer.Ordinal));
    }
}
