using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Organization;

/// <summary>A row of Better Auth's <c>organization</c> table. <see cref="Metadata"/> is JSON text, as Better Auth stores it.</summary>
public sealed class OrganizationRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Slug { get; set; } = "";
    public string? Logo { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Metadata { get; set; }
}

/// <summary>A row of the <c>member</c> table: one user's roles (comma-joined) in one organization.</summary>
public sealed class MemberRow
{
    public string Id { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "member";
    public DateTime CreatedAt { get; set; }
}

/// <summary>A row of the <c>invitation</c> table. Status is pending, accepted, rejected or canceled.</summary>
public sealed class InvitationRow
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Canceled = "canceled";

    public string Id { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Role { get; set; }
    public string Status { get; set; } = Pending;
    public DateTime ExpiresAt { get; set; }
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
