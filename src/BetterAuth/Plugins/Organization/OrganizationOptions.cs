namespace BetterAuth.Plugins.Organization;

/// <summary>
/// Options of the organization plugin, with Better Auth's defaults (plugins/organization/organization.ts and the
/// routes at 1.2.12). Every member binds from configuration, so the standalone server can set them too.
/// </summary>
public sealed class OrganizationOptions
{
    /// <summary>Better Auth's default membership limit.</summary>
    public const int DefaultMembershipLimit = 100;
    /// <summary>Better Auth's default invitation limit.</summary>
    public const int DefaultInvitationLimit = 100;
    /// <summary>Better Auth's default invitation lifetime, in seconds.</summary>
    public const int DefaultInvitationExpiresIn = 60 * 60 * 48;
    /// <summary>Better Auth's default creator role, <c>owner</c>.</summary>
    public const string DefaultCreatorRole = "owner";
    /// <summary>The default link mailed with an invitation.</summary>
    public const string DefaultAcceptInvitationUrl = "{origin}/accept-invitation/{id}";

    /// <summary>Whether signed-in users may create organizations. Default true.</summary>
    public bool AllowUserToCreateOrganization { get; set; } = true;

    /// <summary>How many organizations a user may belong to before creating another is refused. Default: unlimited.</summary>
    public int? OrganizationLimit { get; set; }

    /// <summary>The role given to an organization's creator; it is also the role only its holders may grant. Default "owner".</summary>
    public string CreatorRole { get; set; } = DefaultCreatorRole;

    /// <summary>Most members an organization can have (accepting an invitation past it is refused). Default 100; 0 means the default, as in Better Auth.</summary>
    public int MembershipLimit { get; set; } = DefaultMembershipLimit;

    /// <summary>Lifetime of an invitation, in seconds. Default 48 hours; 0 means the default.</summary>
    public int InvitationExpiresIn { get; set; } = DefaultInvitationExpiresIn;

    /// <summary>Most pending invitations an organization can have at once. Default 100.</summary>
    public int InvitationLimit { get; set; } = DefaultInvitationLimit;

    /// <summary>
    /// Re-inviting an address with <c>resend</c> cancels its pending invitation first. Default false: Better Auth
    /// documents true but its code cancels only when the option is set explicitly, so clients see false.
    /// </summary>
    public bool CancelPendingInvitationsOnReInvite { get; set; }

    /// <summary>
    /// Only users with a verified email may view, accept or reject invitations addressed to them (a later Better Auth
    /// option; 1.2.12 has no such check). Default false.
    /// </summary>
    public bool RequireEmailVerificationOnInvitation { get; set; }

    /// <summary>
    /// The link mailed with an invitation. <c>{origin}</c> is the server's public origin, <c>{baseURL}</c> the API's
    /// base URL (origin + base path) and <c>{id}</c> the invitation id. Default <c>{origin}/accept-invitation/{id}</c>,
    /// the page the reference server links to.
    /// </summary>
    public string AcceptInvitationUrl { get; set; } = DefaultAcceptInvitationUrl;

    /// <summary>
    /// Custom roles: role name → resource → allowed actions. When any are given they replace the defaults
    /// (owner/admin/member) for permission checks, as Better Auth's <c>roles</c> option does; include the default
    /// roles you still want.
    /// </summary>
    public Dictionary<string, Dictionary<string, List<string>>> Roles { get; set; } = new();
}
