namespace BetterAuth.Plugins.Organization;

/// <summary>
/// The plugin's messages exactly as Better Auth throws them (error-codes.ts and inline messages at 1.2.12); the wire
/// code is derived from each, which for this plugin equals the table key.
/// </summary>
internal static class OrganizationErrors
{
    public const string NotAllowedToCreateOrganization = "You are not allowed to create a new organization";
    public const string OrganizationLimitReached = "You have reached the maximum number of organizations";
    public const string OrganizationAlreadyExists = "Organization already exists";
    public const string OrganizationNotFound = "Organization not found";
    public const string UserIsNotAMember = "User is not a member of the organization";
    public const string NotAllowedToUpdateOrganization = "You are not allowed to update this organization";
    public const string NotAllowedToDeleteOrganization = "You are not allowed to delete this organization";
    public const string NoActiveOrganization = "No active organization";
    public const string UserIsAlreadyAMember = "User is already a member of this organization";
    public const string MemberNotFound = "Member not found";
    public const string CannotLeaveAsOnlyOwner = "You cannot leave the organization as the only owner";
    public const string NotAllowedToDeleteMember = "You are not allowed to delete this member";
    public const string NotAllowedToInvite = "You are not allowed to invite users to this organization";
    public const string UserIsAlreadyInvited = "User is already invited to this organization";
    public const string InvitationNotFound = "Invitation not found";
    public const string NotTheRecipient = "You are not the recipient of the invitation";
    public const string NotAllowedToCancelInvitation = "You are not allowed to cancel this invitation";
    public const string InviterNoLongerMember = "Inviter is no longer a member of the organization";
    public const string NotAllowedToInviteWithRole = "you are not allowed to invite user with this role";
    public const string FailedToRetrieveInvitation = "Failed to retrieve invitation";
    public const string NotAllowedToUpdateMember = "You are not allowed to update this member";
    public const string MembershipLimitReached = "Organization membership limit reached";
    public const string InvitationLimitReached = "Invitation limit reached";

    // Inline messages of the routes.
    public const string SlugIsTaken = "slug is taken";
    /// <summary>get-invitation and reject-invitation say it with an exclamation mark (same derived code).</summary>
    public const string InvitationNotFoundBang = "Invitation not found!";
    public const string OrganizationIdRequired = "Organization ID is required";
    public const string NotAMemberOfThisOrganization = "You are not a member of this organization";
    public const string NotAuthenticated = "Not authenticated";

    // Later Better Auth versions, for RequireEmailVerificationOnInvitation.
    public const string EmailVerificationRequiredToAnswer = "Email verification required before accepting or rejecting invitation";
    public const string EmailVerificationRequiredToView = "Email verification required to view or list invitations for the session email";
}
