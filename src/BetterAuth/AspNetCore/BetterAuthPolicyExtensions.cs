using BetterAuth.AspNetCore;
using Microsoft.AspNetCore.Authorization;

namespace BetterAuth;

/// <summary>Authorization policies over Better Auth sessions, e.g. <c>o.AddPolicy("admins", p => p.RequireBetterAuthRole("admin"))</c>.</summary>
public static class BetterAuthPolicyExtensions
{
    /// <summary>A Better Auth session is required (authenticated with the Better Auth scheme, whatever the default scheme is).</summary>
    public static AuthorizationPolicyBuilder RequireBetterAuthSession(this AuthorizationPolicyBuilder policy,
        string scheme = BetterAuthDefaults.AuthenticationScheme) =>
        policy.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser();

    /// <summary>A session whose user has one of <paramref name="roles"/> in the admin plugin's comma-joined <c>user.role</c>.</summary>
    public static AuthorizationPolicyBuilder RequireBetterAuthRole(this AuthorizationPolicyBuilder policy, params string[] roles)
    {
        if (roles.Length == 0) throw new ArgumentException("Name at least one role.", nameof(roles));
        return policy.RequireBetterAuthSession().RequireRole(roles);
    }

    /// <summary>An admin as the admin plugin counts them: a role among its <c>AdminRoles</c> (default "admin"), or a user in <c>AdminUserIds</c>.</summary>
    public static AuthorizationPolicyBuilder RequireBetterAuthAdmin(this AuthorizationPolicyBuilder policy) =>
        policy.RequireBetterAuthSession().AddRequirements(new BetterAuthAdminRequirement());

    /// <summary>The admin plugin's access rules grant the user every one of <paramref name="actions"/> on <paramref name="resource"/> (e.g. "user", "ban").</summary>
    public static AuthorizationPolicyBuilder RequireAdminPermission(this AuthorizationPolicyBuilder policy, string resource, params string[] actions) =>
        policy.RequireBetterAuthSession().AddRequirements(new AdminPermissionRequirement(resource, Check(actions)));

    /// <summary>
    /// The user is a member of the session's active organization and their member role grants every one of
    /// <paramref name="actions"/> on <paramref name="resource"/> (e.g. "member", "create"), by the organization plugin's roles.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireOrganizationPermission(this AuthorizationPolicyBuilder policy, string resource, params string[] actions) =>
        policy.RequireBetterAuthSession().AddRequirements(new OrganizationPermissionRequirement(resource, Check(actions)));

    /// <summary>
    /// The request was authenticated with an API key (API key plugin) whose permissions grant every one of
    /// <paramref name="actions"/> on <paramref name="resource"/>, e.g. <c>RequireApiKeyPermission("files", "read")</c>.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireApiKeyPermission(this AuthorizationPolicyBuilder policy, string resource, params string[] actions) =>
        policy.RequireBetterAuthSession().AddRequirements(new ApiKeyPermissionRequirement(resource, Check(actions)));

    private static string[] Check(string[] actions) =>
        actions.Length > 0 ? actions : throw new ArgumentException("Name at least one action.", nameof(actions));
}
