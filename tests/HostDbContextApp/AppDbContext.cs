using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace HostDbContextApp;

/// <summary>
/// The app's own context: its notes next to Better Auth's tables (user, session, account, verification and the
/// enabled plugins' tables), all in one model and one migration history.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : AuthDbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // Better Auth's tables
        var note = modelBuilder.Entity<Note>().ToTable("notes");
        note.HasKey(n => n.Id);
        note.Property(n => n.Text).HasMaxLength(500);
        // The app's rows point at Better Auth's users; deleting a user deletes their notes.
        note.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A row of the app's own.</summary>
public sealed class Note
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
}
