using System.Security.Cryptography;
using System.Text;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Otp;

internal enum OtpResult
{
    Ok,
    /// <summary>No code was issued for this identifier (or it was used up).</summary>
    NotFound,
    Expired,
    /// <summary>The attempt cap was reached: the code is deleted and a new one must be requested.</summary>
    TooManyAttempts,
    Invalid,
}

/// <summary>
/// One-time codes (email OTP, phone OTP, two-factor OTP) stored as Better Auth stores them: a verification row
/// <c>identifier</c> → <c>"&lt;code&gt;&lt;separator&gt;&lt;failed attempts&gt;"</c>. One flow for every plugin: codes
/// from a CSPRNG, compared in constant time, failed attempts counted, and a correct code consumed exactly once
/// even under concurrent use.
/// </summary>
internal static class OneTimeCodes
{
    public static string Generate(int digits) => RandomStrings.From(RandomStrings.Digits, digits);

    /// <summary>Stores a fresh code for the identifier, replacing any earlier one.</summary>
    public static async Task IssueAsync(AuthContext ctx, string identifier, string code, TimeSpan lifetime, char separator)
    {
        await ctx.Store.DeleteVerificationsAsync(identifier);
        await ctx.Store.CreateVerificationAsync(identifier, $"{code}{separator}0", ctx.Auth.Now.Add(lifetime));
    }

    /// <summary>
    /// Checks <paramref name="code"/> against the stored one. A wrong code adds one failed attempt; once
    /// <paramref name="allowedAttempts"/> failures are recorded the row is deleted. A right code is deleted when
    /// <paramref name="consume"/> (only one concurrent request can win that delete).
    /// </summary>
    public static async Task<OtpResult> VerifyAsync(AuthContext ctx, string identifier, string code, int allowedAttempts,
        char separator, bool consume = true)
    {
        // Each decision is taken on the row as read and sticks only through a write conditional on that same value.
        // When a concurrent attempt changed the row first (counted its failure, consumed or replaced the code), the
        // attempt is decided again on what is stored now: every wrong guess is counted, so a burst of guesses cannot
        // have more codes compared than the limit allows. Each retry follows another request's write, so it ends.
        for (var round = 0; round < MaxDecisionRounds; round++)
        {
            var row = await ctx.Store.FindVerificationAsync(identifier);
            if (row is null) return OtpResult.NotFound;
            if (row.ExpiresAt < ctx.Auth.Now)
            {
                await ctx.Store.DeleteVerificationAsync(row.Id);
                return OtpResult.Expired;
            }
            var sep = row.Value.LastIndexOf(separator);
            var stored = sep < 0 ? row.Value : row.Value[..sep];
            var failures = sep >= 0 && int.TryParse(row.Value.AsSpan(sep + 1), out var n) ? n : 0;
            if (failures >= allowedAttempts)
            {
                await ctx.Store.DeleteVerificationAsync(row.Id);
                return OtpResult.TooManyAttempts;
            }
            if (!FixedTimeEquals(stored, code))
            {
                var counted = await ctx.Db.Verifications.Where(v => v.Id == row.Id && v.Value == row.Value)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, $"{stored}{separator}{failures + 1}"));
                if (counted == 1) return OtpResult.Invalid;
                continue;
            }
            if (!consume) return OtpResult.Ok;
            var won = await ctx.Db.Verifications.Where(v => v.Id == row.Id && v.Value == row.Value).ExecuteDeleteAsync();
            if (won == 1) return OtpResult.Ok;
        }
        // Only a flood of re-issued codes keeps changing the row this often; refuse rather than decide on a stale read.
        return OtpResult.TooManyAttempts;
    }

    /// <summary>Re-decisions one attempt may take under contention (a row changes at most allowedAttempts + 1 times).</summary>
    private const int MaxDecisionRounds = 64;

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
