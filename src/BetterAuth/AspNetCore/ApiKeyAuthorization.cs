using BetterAuth.Plugins.ApiKey;
using Microsoft.AspNetCore.Authorization;

namespace BetterAuth.AspNetCore;

/// <summary>
/// The request was authenticated with an API key whose permissions grant every one of <see cref="Actions"/> on
/// <see cref="Resource"/> (Better Auth's permission check for keys). A session without a key never meets it.
/// </summary>
public sealed record ApiKeyPermissionRequirement(string Resource, IReadOnlyList<string> Actions) : IAuthorizationRequirement;

internal sealed class ApiKeyPermissionHandler : AuthorizationHandler<ApiKeyPermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyPermissionRequirement requirement)
    {
        var identity = BetterAuthPrincipal.FindIdentity(context.User);
        if (identity?.FindFirst(BetterAuthClaimTypes.ApiKeyId) is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "The request was not authenticated with an API key."));
            return Task.CompletedTask;
        }
        // The claims were read from the key's row on this request.
        var granted = requirement.Actions.All(action =>
            identity.HasClaim(BetterAuthClaimTypes.ApiKeyPermission, ApiKeyPermissions.Claim(requirement.Resource, action)));
        if (granted) context.Succeed(requirement);
        else context.Fail(new AuthorizationFailureReason(this, "The API key's permissions do not allow this."));
        return Task.CompletedTask;
    }
}
