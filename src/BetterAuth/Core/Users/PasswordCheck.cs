using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Users;

/// <summary>
/// The password check every credential sign-in path shares (email, username, phone number): the user's credential
/// account password, verified in constant time; an unknown user or a user without a password costs the same hashing
/// work, so response time does not tell whether an account exists.
/// </summary>
internal static class PasswordCheck
{
    public static async Task<bool> VerifyAsync(AuthContext ctx, User? user, string password)
    {
        var account = user is null ? null : await ctx.Store.FindCredentialAccountAsync(user.Id);
        if (account?.Password is null)
        {
            await ctx.Auth.Passwords.HashAsync(password, ctx.Http.RequestAborted);
            return false;
        }
        return await ctx.Auth.Passwords.VerifyAsync(account.Password, password, ctx.Http.RequestAborted);
    }
}
