using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Users;

/// <summary>
/// A sign-in that proves control of the mailbox (a magic link) taking over an account whose email was never verified.
/// Nothing on such an account was proven to belong to the mailbox owner: whoever registered it first (with a password
/// of their own, or a provider account with an unverified email) would otherwise keep a way in once it becomes
/// verified (account pre-hijacking). Better Auth 1.2.12 only marks the email verified; later Better Auth
/// (revokeUnprovenAccountAccess, #10239) first removes the account's sign-in methods and sessions, as done here.
/// </summary>
internal static class EmailOwnership
{
    /// <summary>
    /// Returns <paramref name="user"/> unchanged when its email is verified. Otherwise, in one transaction and only if
    /// the row is still unverified then: deletes its accounts (password and linked providers) and sessions, and marks
    /// the email verified. Returns the stored row afterwards, or null when the user is gone.
    /// </summary>
    public static async Task<User?> AdoptAsync(AuthContext ctx, User user)
    {
        if (user.EmailVerified) return user;
        User? adopted;
        var revoked = false;
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted))
        {
            // Guarantee: a verification that committed first leaves the account as it is. Under the user's row lock
            // (which every update of the user waits for) this re-read sees it, and none can commit before this one.
            await ctx.Db.LockRowAsync<User>(u => u.Id, user.Id, ctx.Http.RequestAborted);
            var current = await ctx.Store.FindUserByIdAsync(user.Id);
            if (current is null || current.EmailVerified) return current;
            await ctx.Store.DeleteAccountsAsync(user.Id);
            revoked = await ctx.Store.DeleteSessionsAsync(user.Id) > 0;
            adopted = await ctx.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true);
            await tx.CommitAsync(ctx.Http.RequestAborted);
        }
        if (revoked) ctx.Raise(new SessionRevokedEvent(user.Id, SessionRevocationScope.All, null));
        return adopted;
    }
}
