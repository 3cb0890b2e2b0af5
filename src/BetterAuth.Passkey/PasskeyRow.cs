using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// A row of Better Auth's <c>passkey</c> table: one registered WebAuthn credential of a user, stored as Better Auth's
/// SimpleWebAuthn stores it, so a passkey registered by either server verifies on the other.
/// </summary>
internal sealed class PasskeyRow
{
    /// <summary>The row's id (32 random characters).</summary>
    public string Id { get; set; } = "";
    /// <summary>The label the user gave it; null when none was given.</summary>
    public string? Name { get; set; }
    /// <summary>The credential's COSE public key, standard base64 with padding.</summary>
    public string PublicKey { get; set; } = "";
    /// <summary>The owner.</summary>
    public string UserId { get; set; } = "";
    /// <summary>The credential id as the browser reports it: base64url without padding.</summary>
    public string CredentialID { get; set; } = "";
    /// <summary>The authenticator's signature counter seen last (0 for authenticators that keep none).</summary>
    public long Counter { get; set; }
    /// <summary><c>singleDevice</c>, or <c>multiDevice</c> for a credential that may be synced (backup eligible).</summary>
    public string DeviceType { get; set; } = "";
    /// <summary>Whether the credential was backed up (synced) when it was registered.</summary>
    public bool BackedUp { get; set; }
    /// <summary>The transports the browser reported at registration, comma-separated (<c>internal,hybrid</c>).</summary>
    public string? Transports { get; set; }
    /// <summary>When it was registered.</summary>
    public DateTime? CreatedAt { get; set; }
    /// <summary>The authenticator model's AAGUID (<c>00000000-0000-0000-0000-000000000000</c> when it sends none).</summary>
    public string? Aaguid { get; set; }

    /// <summary>
    /// Table <c>passkey</c> with Better Auth's column names and order. <c>credentialID</c> is indexed but not unique:
    /// databases made by Better Auth may already hold duplicates, which a unique index would fail to build on; new
    /// duplicates are refused by <see cref="PasskeyStore.InsertAsync"/> under the credential id's lock instead.
    /// </summary>
    internal static void Configure(ModelBuilder b)
    {
        var row = b.Entity<PasskeyRow>().ToTable("passkey");
        row.HasKey(x => x.Id);
        row.Property(x => x.CredentialID).HasColumnName("credentialID").IsRequired();
        row.Property(x => x.PublicKey).IsRequired();
        row.Property(x => x.DeviceType).IsRequired();
        row.HasIndex(x => x.UserId);
        row.HasIndex(x => x.CredentialID);
        row.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
