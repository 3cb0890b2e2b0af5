using BetterAuth.Core.Http;

namespace BetterAuth.Core.Users;

/// <summary>
/// Work done for an unknown account so that a request about it takes as long as one about a known account
/// (OWASP ASVS 6.3.8: no account enumeration by timing). Password checks spend a dummy hash (<see cref="PasswordCheck"/>);
/// reset and one-time-code requests, which store a token or code for a known account, store one here too.
/// </summary>
internal static class DecoyWork
{
    /// <summary>
    /// Stores a verification row under <paramref name="identifier"/> that has already expired: the same insert a known
    /// account's request makes, but nothing can be verified with it, and the next lookup sweeps it away.
    /// </summary>
    public static Task StoreExpiredVerificationAsync(AuthContext ctx, string identifier) =>
        ctx.Store.CreateVerificationAsync(identifier, "", ctx.Auth.Now.AddSeconds(-1));
}
