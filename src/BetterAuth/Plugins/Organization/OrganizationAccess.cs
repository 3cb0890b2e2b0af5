using BetterAuth.Core.Access;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// The organization roles in force (Better Auth's defaults, or the host's custom roles instead) and the two questions
/// the routes ask: does a member's role grant a request, and does it include the creator role.
/// </summary>
internal sealed class OrganizationAccess
{
    /// <summary>Better Auth's default statements (organization/access/statement.ts): owner all, admin all but deleting the organization, member none.</summary>
    public static IReadOnlyDictionary<string, AccessRole> DefaultRoles { get; } = new Dictionary<string, AccessRole>(StringComparer.Ordinal)
    {
        ["owner"] = AccessRole.Of(
            ("organization", ["update", "delete"]),
            ("member", ["create", "update", "delete"]),
            ("invitation", ["create", "cancel"]),
            ("team", ["create", "update", "delete"])),
        ["admin"] = AccessRole.Of(
            ("organization", ["update"]),
            ("invitation", ["create", "cancel"]),
            ("member", ["create", "update", "delete"]),
            ("team", ["create", "update", "delete"])),
        ["member"] = AccessRole.Of(
            ("organization", []),
            ("member", []),
            ("invitation", []),
            ("team", [])),
    };

    public OrganizationAccess(OrganizationOptions options)
    {
        CreatorRole = string.IsNullOrEmpty(options.CreatorRole) ? OrganizationOptions.DefaultCreatorRole : options.CreatorRole;
        // Better Auth's hasPermission reads `options.roles || defaultRoles`: custom roles replace the defaults.
        Roles = options.Roles.Count == 0
            ? DefaultRoles
            : options.Roles.ToDictionary(
                r => r.Key,
                r => new AccessRole(r.Value.Select(s => new KeyValuePair<string, IEnumerable<string>>(s.Key, s.Value))),
                StringComparer.Ordinal);
    }

    public string CreatorRole { get; }
    public IReadOnlyDictionary<string, AccessRole> Roles { get; }

    /// <summary>True when any of the member's comma-joined roles grants every resource of the request; a missing request is never granted.</summary>
    public bool HasPermission(string memberRole, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>? request) =>
        request is not null && AccessRoles.AnyGrants(Roles, memberRole, request);

    public bool HasPermission(string memberRole, string resource, string action) =>
        HasPermission(memberRole, [new(resource, [action])]);

    /// <summary>
    /// Whether a comma-joined role list includes the creator role. Better Auth compares the whole string in some routes
    /// (so "owner,admin" counts as not an owner there); we always look at each role, so owners are treated alike everywhere.
    /// </summary>
    public bool IsCreator(string? roles) => roles is not null && AccessRoles.Split(roles).Contains(CreatorRole, StringComparer.Ordinal);
}
