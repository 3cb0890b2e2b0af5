using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Organization;

/// <summary>A row of Better Auth's <c>organization</c> table. <see cref="Metadata"/> is JSON text, as Better Auth stores it.</summary>
public sealed class OrganizationRow
{
    /// <summary>Organization id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Unique slug.</summary>
    public string Slug { get; set; } = "";
    /// <summary>Logo URL.</summary>
    public string? Logo { get; set; }
    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>Metadata, as JSON text.</summary>
    public string? Metadata { get; set; }
}

/// <summary>A row of the <c>member</c> table: one user's roles (comma-joined) in one organization.</summary>
public sealed class MemberRow
{
    /// <summary>Membership id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The organization.</summary>
    public string OrganizationId { get; set; } = "";
    /// <summary>The member.</summary>
    public string UserId { get; set; } = "";
    /// <summary>The member's roles, comma-separated.</summary>
    public string Role { get; set; } = "member";
    /// <summary>When the member joined (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>A row of the <c>invitation</c> table. Status is pending, accepted, rejected or canceled.</summary>
public sealed class InvitationRow
{
    /// <summary>Status of an open invitation.</summary>
    public const string Pending = "pending";
    /// <summary>Status of an accepted invitation.</summary>
    public const string Accepted = "accepted";
    /// <summary>Status of a rejected invitation.</summary>
    public const string Rejected = "rejected";
    /// <summary>Status of a canceled invitation.</summary>
    public const string Canceled = "canceled";

    /// <summary>Invitation id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The organization.</summary>
    public string OrganizationId { get; set; } = "";
    /// <summary>The invited address.</summary>
    public string Email { get; set; } = "";
    /// <summary>The role offered.</summary>
    public string? Role { get; set; }
    /// <summary>pending, accepted, rejected or canceled.</summary>
    public string Status { get; set; } = Pending;
    /// <summary>When it expires (UTC).</summary>
    public DateTime ExpiresAt { get; set; }
    /// <summary>The user who invited.</summary>
    public string InviterId { get; set; } = "";
}

/// <summary>The plugin's tables with Better Auth's default names; column names and SQLite value formats come from core's conventions.</summary>
internal static class OrganizationModel
{
    public static void Configure(ModelBuilder b)
    {
        var organization = b.Entity<OrganizationRow>().ToTable("organization");
        organization.HasKey(x => x.Id);
        organization.HasIndex(x => x.Slug).IsUnique();

        // Better Auth declares these references without ON DELETE; cascading here only matters for databases this
        // server creates, and the user-deletion hook removes the rows explicitly for databases the reference made.
        var member = b.Entity<MemberRow>().ToTable("member");
        member.HasKey(x => x.Id);
        member.HasIndex(x => x.OrganizationId);
        member.HasIndex(x => x.UserId);
        member.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);

        var invitation = b.Entity<InvitationRow>().ToTable("invitation");
        invitation.HasKey(x => x.Id);
        invitation.HasIndex(x => x.OrganizationId);
        invitation.HasIndex(x => x.Email);
        invitation.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        invitation.HasOne<User>().WithMany().HasForeignKey(x => x.InviterId).OnDelete(DeleteBehavior.Cascade);
    }
}
