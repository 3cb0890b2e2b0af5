using System.Globalization;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Makes each TOTP code usable once (OWASP ASVS 6.5.1; Better Auth 1.2.12 accepts a code again within its window).
/// Every accepted time step is recorded as a verification row whose primary key is derived from the enrolment and the
/// step, so of two concurrent requests with the same code only one insert succeeds; a step at or before the newest one
/// already used is refused too. Rows expire when the step's code would stop being accepted anyway.
/// </summary>
internal static class TotpReplayGuard
{
    private const string Prefix = "2fa-totp-used-";

    /// <summary>Claims <paramref name="step"/> for the enrolment <paramref name="row"/>; false when it (or a later step) was used.</summary>
    public static async Task<bool> TryClaimAsync(AuthContext ctx, TwoFactorRow row, long step, DateTimeOffset acceptedUntil)
    {
        var identifier = Prefix + row.Id;
        var now = ctx.Auth.Now;
        var used = await ctx.Store.LiveVerificationsAsync(identifier);
        if (used.Any(v => long.TryParse(v.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= step))
            return false;

        var claim = new Verification
        {
            Id = $"{Prefix}{step}-{row.Id}",
            Identifier = identifier,
            Value = step.ToString(CultureInfo.InvariantCulture),
            ExpiresAt = JsDate.Truncate(acceptedUntil.UtcDateTime),
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await ctx.Store.TryCreateVerificationAsync(claim);
    }
}
