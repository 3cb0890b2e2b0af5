using BetterAuth.Core.Crypto;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>A row of Better Auth's <c>twoFactor</c> table: the user's encrypted TOTP secret and unused backup codes.</summary>
public sealed class TwoFactorRow
{
    public string Id { get; set; } = "";
    /// <summary>The 32-character TOTP secret, encrypted (<see cref="SymmetricCipher"/>).</summary>
    public string Secret { get; set; } = "";
    /// <summary>The JSON array of unused backup codes, encrypted.</summary>
    public string BackupCodes { get; set; } = "";
    public string UserId { get; set; } = "";

    /// <summary>Table <c>twoFactor</c> with columns <c>id, secret, backupCodes, userId → user.id</c>, as Better Auth names them.</summary>
    internal static void Configure(ModelBuilder b)
    {
        var row = b.Entity<TwoFactorRow>().ToTable("twoFactor");
        row.HasKey(x => x.Id);
        row.Property(x => x.Secret).IsRequired();
        row.Property(x => x.BackupCodes).IsRequired();
        row.HasIndex(x => x.UserId);
        row.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
