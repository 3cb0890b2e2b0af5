using System.Security.Claims;
using BetterAuth.Core.Access;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.ApiKey;
using BetterAuth.Plugins.Organization;

namespace BetterAuth.AspNetCore;

/// <summary>Turns a Better Auth session into the <see cref="ClaimsPrincipal"/> ASP.NET Core authorizes with, and back.</summary>
public static class BetterAuthPrincipal
{
    /// <summary>The claims principal of a Better Auth session, for the given authentication scheme.</summary>
    public static ClaimsPrincipal Create(SessionWithUser session, string authenticationType = BetterAuthDefaults.AuthenticationScheme)
    {
        var (s, user) = (session.Session, session.User);
        var claims = new List<Claim>
        {
            new(BetterAuthClaimTypes.UserId, user.Id),
            new(BetterAuthClaimTypes.Subject, user.Id),
            new(BetterAuthClaimTypes.Name, user.Name),
            new(BetterAuthClaimTypes.Email, user.Email),
            new(BetterAuthClaimTypes.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean),
            new(BetterAuthClaimTypes.SessionId, s.Id),
        };
        if (user.Get<string>(AdminFields.Role) is { Length: > 0 } roles)
            foreach (var role in AccessRoles.Split(roles).Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
                claims.Add(new Claim(BetterAuthClaimTypes.Role, role));
        if (s.Get<string>(OrganizationStore.ActiveOrganizationField) is { Length: > 0 } organizationId)
            claims.Add(new Claim(BetterAuthClaimTypes.ActiveOrganizationId, organizationId));
        if (s.Get<string>(AdminFields.ImpersonatedBy) is { Length: > 0 } adminId)
            claims.Add(new Claim(BetterAuthClaimTypes.ImpersonatedBy, adminId));

        var identity = new ClaimsIdentity(claims, authenticationType, BetterAuthClaimTypes.Name, BetterAuthClaimTypes.Role)
        {
            Label = BetterAuthDefaults.IdentityLabel,
        };
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Adds the API key's id and its permissions (<c>resource:action</c>) to an identity made by <see cref="Create"/>.</summary>
    internal static void AddApiKey(ClaimsIdentity identity, ApiKeyRow key)
    {
        identity.AddClaim(new Claim(BetterAuthClaimTypes.ApiKeyId, key.Id));
        foreach (var (resource, actions) in ApiKeyPermissions.Of(key))
            foreach (var action in actions.Distinct(StringComparer.Ordinal))
                identity.AddClaim(new Claim(BetterAuthClaimTypes.ApiKeyPermission, ApiKeyPermissions.Claim(resource, action)));
    }

    /// <summary>The principal's Better Auth identity, when it has one (a host may combine several schemes).</summary>
    public static ClaimsIdentity? FindIdentity(ClaimsPrincipal? principal) =>
        principal?.Identities.FirstOrDefault(i => i.IsAuthenticated && i.Label == BetterAuthDefaults.IdentityLabel);

    /// <summary>The Better Auth user id of the principal, or null.</summary>
    public static string? GetBetterAuthUserId(this ClaimsPrincipal? principal) =>
        FindIdentity(principal)?.FindFirst(BetterAuthClaimTypes.UserId)?.Value;

    /// <summary>The session's active organization id, or null.</summary>
    public static string? GetActiveOrganizationId(this ClaimsPrincipal? principal) =>
        FindIdentity(principal)?.FindFirst(BetterAuthClaimTypes.ActiveOrganizationId)?.Value;
}
