using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Organization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BetterAuth.AspNetCore;

/// <summary>The rules in force for the plugins the host enabled, built once from <see cref="BetterAuthOptions.Plugins"/>.</summary>
internal sealed class BetterAuthAuthorizationRules(BetterAuthOptions options)
{
    public AdminAccess? Admin { get; } = options.Plugins.OfType<AdminPlugin>().FirstOrDefault()?.Access;

    public OrganizationAccess? Organization { get; } =
        options.Plugins.OfType<OrganizationPlugin>().FirstOrDefault() is { } plugin ? new OrganizationAccess(plugin.Options) : null;
}

/// <summary>The user is an admin as the admin plugin counts them: an admin role, or listed in <c>AdminUserIds</c>.</summary>
public sealed class BetterAuthAdminRequirement : IAuthorizationRequirement;

/// <summary>The user's roles (or <c>AdminUserIds</c>) grant every action on the resource, by the admin plugin's access rules.</summary>
public sealed record AdminPermissionRequirement(string Resource, IReadOnlyList<string> Actions) : IAuthorizationRequirement;

/// <summary>The user is a member of the session's active organization and their member role grants every action on the resource.</summary>
public sealed record OrganizationPermissionRequirement(string Resource, IReadOnlyList<string> Actions) : IAuthorizationRequirement;

internal sealed class AdminRequirementHandler(BetterAuthAuthorizationRules rules, ILogger<AdminRequirementHandler> logger)
    : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            if (requirement is not (BetterAuthAdminRequirement or AdminPermissionRequirement)) continue;
            var identity = BetterAuthPrincipal.FindIdentity(context.User);
            if (identity is null) continue;
            if (rules.Admin is null)
            {
                Core.Telemetry.CoreLog.AdminPluginMissing(logger);
                context.Fail(new AuthorizationFailureReason(this, "The admin plugin is not enabled."));
                continue;
            }
            // The claims were read from the user row on this request, so they are as current as the row.
            var user = new User { Id = identity.FindFirst(BetterAuthClaimTypes.UserId)?.Value ?? "" };
            var roles = identity.FindAll(BetterAuthClaimTypes.Role).Select(c => c.Value).ToList();
            if (roles.Count > 0) user[AdminFields.Role] = string.Join(",", roles);
            var granted = requirement is AdminPermissionRequirement p
                ? rules.Admin.HasPermission(user.Id, user.Get<string>(AdminFields.Role), [new(p.Resource, p.Actions)])
                : rules.Admin.IsAdmin(user);
            if (granted) context.Succeed(requirement);
            else context.Fail(new AuthorizationFailureReason(this, "The user's role does not allow this."));
        }
        return Task.CompletedTask;
    }
}

internal sealed class OrganizationPermissionHandler(BetterAuthAuthorizationRules rules, AuthDbContext db,
    ILogger<OrganizationPermissionHandler> logger) : AuthorizationHandler<OrganizationPermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OrganizationPermissionRequirement requirement)
    {
        var identity = BetterAuthPrincipal.FindIdentity(context.User);
        var userId = identity?.FindFirst(BetterAuthClaimTypes.UserId)?.Value;
        if (userId is null) return;
        if (rules.Organization is null)
        {
            Core.Telemetry.CoreLog.OrganizationPluginMissing(logger);
            context.Fail(new AuthorizationFailureReason(this, "The organization plugin is not enabled."));
            return;
        }
        var organizationId = identity!.FindFirst(BetterAuthClaimTypes.ActiveOrganizationId)?.Value;
        if (organizationId is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "No active organization."));
            return;
        }
        var aborted = (context.Resource as HttpContext)?.RequestAborted ?? CancellationToken.None;
        var role = await db.Set<MemberRow>().AsNoTracking()
            .Where(m => m.UserId == userId && m.OrganizationId == organizationId)
            .Select(m => m.Role)
            .FirstOrDefaultAsync(aborted);
        if (role is not null && rules.Organization.HasPermission(role, [new(requirement.Resource, requirement.Actions)]))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, role is null
                ? "The user is not a member of the active organization."
                : "The user's organization role does not allow this."));
    }
}
