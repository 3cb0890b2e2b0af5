using System.Security.Claims;

namespace BetterAuth.AspNetCore;

/// <summary>Names Better Auth uses in ASP.NET Core.</summary>
public static class BetterAuthDefaults
{
    /// <summary>The authentication scheme <c>AddAuthentication().AddBetterAuth()</c> registers.</summary>
    public const string AuthenticationScheme = "BetterAuth";

    /// <summary>The <see cref="ClaimsIdentity.Label"/> of identities built from Better Auth sessions, to find them among others.</summary>
    public const string IdentityLabel = "better-auth";
}

/// <summary>The claims of a principal built from a Better Auth session.</summary>
public static class BetterAuthClaimTypes
{
    /// <summary>The user id (also in <see cref="Subject"/>).</summary>
    public const string UserId = ClaimTypes.NameIdentifier;
    /// <summary>The user id (<c>sub</c>).</summary>
    public const string Subject = "sub";
    /// <summary>The user's name.</summary>
    public const string Name = ClaimTypes.Name;
    /// <summary>The user's email address.</summary>
    public const string Email = ClaimTypes.Email;
    /// <summary>"true" or "false".</summary>
    public const string EmailVerified = "email_verified";
    /// <summary>One claim per role of the admin plugin's comma-joined <c>user.role</c>; <c>IsInRole</c> and <c>RequireRole</c> read it.</summary>
    public const string Role = ClaimTypes.Role;
    /// <summary>The session's id (not its token).</summary>
    public const string SessionId = "sid";
    /// <summary>The organization plugin's <c>session.activeOrganizationId</c>, when set.</summary>
    public const string ActiveOrganizationId = "active_organization_id";
    /// <summary>The admin plugin's <c>session.impersonatedBy</c>: the id of the admin acting as this user, when set.</summary>
    public const string ImpersonatedBy = "impersonated_by";
    /// <summary>The id of the API key the request was authenticated with (API key plugin); absent for sessions.</summary>
    public const string ApiKeyId = "api_key_id";
    /// <summary>One claim per permission of that API key, as <c>resource:action</c> (e.g. <c>files:read</c>).</summary>
    public const string ApiKeyPermission = "api_key_permission";
}
