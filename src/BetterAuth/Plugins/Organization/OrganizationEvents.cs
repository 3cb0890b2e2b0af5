using BetterAuth.Core.Events;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Organization;

/// <summary>An organization was created; <paramref name="Creator"/> is its first member (with the creator role).</summary>
public sealed record OrganizationCreatedEvent(OrganizationRow Organization, MemberRow Creator, User CreatedBy)
    : AuthEvent<OrganizationCreatedEvent>;

/// <summary>An organization was deleted, with its members and invitations.</summary>
public sealed record OrganizationDeletedEvent(OrganizationRow Organization, User DeletedBy) : AuthEvent<OrganizationDeletedEvent>;

/// <summary>
/// A user joined an organization by accepting <paramref name="Invitation"/>. (An organization's creator is reported by
/// <see cref="OrganizationCreatedEvent"/>.)
/// </summary>
public sealed record MemberAddedEvent(MemberRow Member, User User, InvitationRow Invitation) : AuthEvent<MemberAddedEvent>;
