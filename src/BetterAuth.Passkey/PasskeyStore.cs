using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// The <c>passkey</c> table's reads and writes, for the plugin's endpoints and for a host's own tools (an admin
/// console listing or removing a user's passkeys). Every write that acts for a user names the owner in its condition.
/// </summary>
internal static class PasskeyStore
{
    /// <summary>A user's passkeys, oldest first.</summary>
    public static Task<List<PasskeyRow>> ListAsync(AuthDbContext db, string userId, CancellationToken ct = default) =>
        db.Set<PasskeyRow>().AsNoTracking().Where(p => p.UserId == userId)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);

    /// <summary>The passkey with this row id, whoever owns it.</summary>
    public static Task<PasskeyRow?> FindAsync(AuthDbContext db, string id, CancellationToken ct = default) =>
        db.Set<PasskeyRow>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>The passkey with this credential id (the oldest, should a database made by Better Auth hold several).</summary>
    public static Task<PasskeyRow?> FindByCredentialIdAsync(AuthDbContext db, string credentialId, CancellationToken ct = default) =>
        db.Set<PasskeyRow>().AsNoTracking().Where(p => p.CredentialID == credentialId)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Stores a new passkey unless its credential id is registered already (to anyone); false when it is.
    /// Guarantee: two registrations of one credential cannot both pass the check. The check and the insert run in one
    /// transaction holding the credential id's lock (<see cref="StorageLocks"/>); no unique index does it, as databases
    /// made by Better Auth may already hold duplicates.
    /// </summary>
    public static async Task<bool> InsertAsync(AuthDbContext db, PasskeyRow row, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(CredentialLock(row.CredentialID), ct);
        if (await db.Set<PasskeyRow>().AnyAsync(p => p.CredentialID == row.CredentialID, ct)) return false;
        db.Set<PasskeyRow>().Add(row);
        await db.SaveChangesAsync(ct);
        db.Entry(row).State = EntityState.Detached;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The name of the lock registrations of one credential id take (<see cref="StorageLocks.LockAsync"/>).</summary>
    public static string CredentialLock(string credentialId) => "passkey-credential:" + credentialId;

    /// <summary>
    /// Moves the signature counter from the value an assertion was checked against to the new one; false when another
    /// sign-in with the same credential moved it first (then this assertion must not sign in).
    /// </summary>
    public static async Task<bool> AdvanceCounterAsync(AuthDbContext db, string id, long checkedAgainst, long counter, CancellationToken ct = default) =>
        await db.Set<PasskeyRow>().Where(p => p.Id == id && p.Counter == checkedAgainst)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Counter, counter), ct) == 1;

    /// <summary>Renames the owner's passkey; null when the user owns no passkey with this id.</summary>
    public static async Task<PasskeyRow?> RenameAsync(AuthDbContext db, string userId, string id, string name, CancellationToken ct = default)
    {
        var changed = await db.Set<PasskeyRow>().Where(p => p.Id == id && p.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, name), ct);
        return changed == 1 ? await FindAsync(db, id, ct) : null;
    }

    /// <summary>Deletes the owner's passkey; false when the user owns no passkey with this id.</summary>
    public static async Task<bool> DeleteAsync(AuthDbContext db, string userId, string id, CancellationToken ct = default) =>
        await db.Set<PasskeyRow>().Where(p => p.Id == id && p.UserId == userId).ExecuteDeleteAsync(ct) == 1;

    /// <summary>Deletes every passkey of a user (before the user is deleted).</summary>
    public static Task<int> DeleteAllAsync(AuthDbContext db, string userId, CancellationToken ct = default) =>
        db.Set<PasskeyRow>().Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
}
