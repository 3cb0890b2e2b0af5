using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// A row of Better Auth's <c>apikey</c> table. <see cref="Key"/> is the SHA-256 hash of the key (base64url, no padding),
/// never the key; <see cref="Permissions"/> is JSON text (resource → actions) and <see cref="Metadata"/> JSON text
/// encoded twice, as Better Auth 1.2.12 writes both. Times in milliseconds: <see cref="RefillInterval"/>,
/// <see cref="RateLimitTimeWindow"/>.
/// </summary>
public sealed class ApiKeyRow
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    /// <summary>The key's first characters (prefix included), for recognising it; null when not stored.</summary>
    public string? Start { get; set; }
    public string? Prefix { get; set; }
    /// <summary>SHA-256 of the key, base64url without padding.</summary>
    public string Key { get; set; } = "";
    public string UserId { get; set; } = "";
    public long? RefillInterval { get; set; }
    public long? RefillAmount { get; set; }
    public DateTime? LastRefillAt { get; set; }
    public bool? Enabled { get; set; }
    public bool? RateLimitEnabled { get; set; }
    public long? RateLimitTimeWindow { get; set; }
    public long? RateLimitMax { get; set; }
    public long? RequestCount { get; set; }
    /// <summary>Uses left; null for unlimited.</summary>
    public long? Remaining { get; set; }
    public DateTime? LastRequest { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? Permissions { get; set; }
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
