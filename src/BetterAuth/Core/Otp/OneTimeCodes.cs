using System.Security.Cryptography;
using System.Text;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Otp;

public enum OtpResult
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
public static class OneTimeCodes
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
            // Conditional on the value we read, so concurrent wrong guesses cannot overwrite each other's count.
            await ctx.Db.Verifications.Where(v => v.Id == row.Id && v.Value == row.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, $"{stored}{separator}{failures + 1}"));
            return OtpResult.Invalid;
        }
        if (!consume) return OtpResult.Ok;
        var won = await ctx.Db.Verifications.Where(v => v.Id == row.Id && v.Value == row.Value).ExecuteDeleteAsync();
        return won == 1 ? OtpResult.Ok : OtpResult.NotFound;
    }

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
