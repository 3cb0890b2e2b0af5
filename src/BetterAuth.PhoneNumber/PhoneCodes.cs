using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Otp;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>
/// The plugin's one-time codes and user lookups, over core's <see cref="OneTimeCodes"/>: a verification row
/// <c>&lt;phone&gt;</c> (or <c>&lt;phone&gt;-request-password-reset</c>) → <c>"&lt;code&gt;:&lt;failed attempts&gt;"</c>.
/// </summary>
internal sealed class PhoneCodes(PhoneNumberOptions options)
{
    public const char Separator = ':';
    public const string OtpKind = "phone-otp";
    public const string ResetKind = "phone-reset-password-otp";

    /// <summary>The mark of reset-code rows, reserved so that no other flow's client value can name them.</summary>
    public const string ResetSuffix = "-request-password-reset";

    public static string ResetIdentifier(string phoneNumber) => phoneNumber + ResetSuffix;

    /// <summary>Stores a fresh code under <paramref name="identifier"/> (replacing the previous one) and texts it to the number.</summary>
    public async Task IssueAndSendAsync(AuthContext ctx, string identifier, string phoneNumber, string kind)
    {
        var code = OneTimeCodes.Generate(options.EffectiveOtpLength);
        await ctx.GetService<AuthMessenger>().SendAsync(ctx, new AuthMessage(kind, phoneNumber) { Otp = code, Channel = AuthMessageChannel.Sms },
            () => OneTimeCodes.IssueAsync(ctx, identifier, code, TimeSpan.FromSeconds(options.EffectiveExpiresIn), Separator));
    }

    /// <summary>Checks and consumes a code; every failure is the error Better Auth answers for it.</summary>
    public async Task VerifyAsync(AuthContext ctx, string identifier, string code)
    {
        var result = await OneTimeCodes.VerifyAsync(ctx, identifier, code, options.EffectiveAllowedAttempts, Separator);
        switch (result)
        {
            case OtpResult.Ok: return;
            case OtpResult.Expired: throw AuthError.BadRequest(PhoneNumberErrors.OtpExpired);
            case OtpResult.TooManyAttempts: throw AuthError.Forbidden(PhoneNumberErrors.TooManyAttempts);
            case OtpResult.Invalid: throw AuthError.BadRequest(PhoneNumberErrors.InvalidOtp);
            // Missing, or taken by a concurrent request that used the same code first.
            default: throw AuthError.BadRequest(PhoneNumberErrors.OtpNotFound);
        }
    }

    public static Task<User?> FindUserAsync(AuthContext ctx, string phoneNumber) =>
        ctx.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => EF.Property<string?>(u, PhoneNumberPlugin.PhoneNumberField) == phoneNumber);
}
