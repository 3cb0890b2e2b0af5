using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// A row of Better Auth's <c>apikey</c> table. <see cref="Key"/> is the SHA-256 hash of the key (base64url, no padding),
/// never the key; <see cref="Permissions"/> is JSON text (resource → actions) and <see cref="Metadata"/> JSON text
/// encoded twice, as Better Auth 1.2.12 writes both. Times in milliseconds: <see cref="RefillInterval"/>,
/// <see cref="RateLimitTimeWindow"/>.
/// </summary>
internal sealed class ApiKeyRow
{
    /// <summary>The key's id (not secret): get, update and delete name it.</summary>
    public string Id { get; set; } = "";
    /// <summary>A name for people to recognise the key.</summary>
    public string? Name { get; set; }
    /// <summary>The key's first characters (prefix included), for recognising it; null when not stored.</summary>
    public string? Start { get; set; }
    /// <summary>The key's prefix, in plain text.</summary>
    public string? Prefix { get; set; }
    /// <summary>SHA-256 of the key, base64url without padding.</summary>
    public string Key { get; set; } = "";
    /// <summary>The user the key stands for.</summary>
    public string UserId { get; set; } = "";
    /// <summary>Milliseconds between refills of <see cref="Remaining"/>.</summary>
    public long? RefillInterval { get; set; }
    /// <summary>What <see cref="Remaining"/> is refilled to.</summary>
    public long? RefillAmount { get; set; }
    /// <summary>When <see cref="Remaining"/> was last refilled.</summary>
    public DateTime? LastRefillAt { get; set; }
    /// <summary>False refuses the key (KEY_DISABLED).</summary>
    public bool? Enabled { get; set; }
    /// <summary>False exempts the key from its rate limit.</summary>
    public bool? RateLimitEnabled { get; set; }
    /// <summary>The rate limit window in milliseconds, measured from the previous allowed request.</summary>
    public long? RateLimitTimeWindow { get; set; }
    /// <summary>Requests allowed within the window.</summary>
    public long? RateLimitMax { get; set; }
    /// <summary>Requests counted in the current window.</summary>
    public long? RequestCount { get; set; }
    /// <summary>Uses left; null for unlimited.</summary>
    public long? Remaining { get; set; }
    /// <summary>When the key was last used (or updated).</summary>
    public DateTime? LastRequest { get; set; }
    /// <summary>When the key expires; null for never.</summary>
    public DateTime? ExpiresAt { get; set; }
    /// <summary>When the key was made.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the key was last changed.</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>JSON text: resource → actions.</summary>
    public string? Permissions { get; set; }
    /// <summary>JSON text of the metadata, encoded twice as Better Auth writes it.</summary>
    public string? Metadata { get; set; }

    /// <summary>Table <c>apikey</c> with Better Auth's column names; keys are found by their hash, so <c>key</c> is indexed.</summary>
    internal static void Configure(ModelBuilder b)
    {
        var row = b.Entity<ApiKeyRow>().ToTable("apikey");
        row.HasKey(x => x.Id);
        row.Property(x => x.Key).IsRequired();
        row.HasIndex(x => x.Key);
        row.HasIndex(x => x.UserId);
        row.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
