using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// A row of Better Auth's <c>jwks</c> table: one signing key. <see cref="PublicKey"/> is the public JWK as JSON text;
/// <see cref="PrivateKey"/> the private JWK as JSON text, or (by default) that text encrypted with the auth secret and
/// stored as a JSON string of the hex ciphertext, exactly as Better Auth stores it.
/// </summary>
internal sealed class JwksRow
{
    /// <summary>The key id: tokens name it as <c>kid</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>The public JWK, JSON text.</summary>
    public string PublicKey { get; set; } = "";
    /// <summary>The private JWK: JSON text, or a JSON string of its hex ciphertext when encrypted (the default).</summary>
    public string PrivateKey { get; set; } = "";
    /// <summary>When the key was made; the newest signs.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Table <c>jwks</c> with columns <c>id, publicKey, privateKey, createdAt</c>, as Better Auth 1.2.12 names them.</summary>
    internal static void Configure(ModelBuilder b)
    {
        var row = b.Entity<JwksRow>().ToTable("jwks");
        row.HasKey(x => x.Id);
        row.Property(x => x.PublicKey).IsRequired();
        row.Property(x => x.PrivateKey).IsRequired();
    }
}
