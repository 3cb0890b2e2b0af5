using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Otp;

namespace BetterAuth.Plugins.EmailOtp;

/// <summary>
/// The plugin's codes over core's <see cref="OneTimeCodes"/>: a verification row <c>&lt;type&gt;-otp-&lt;email&gt;</c> →
/// <c>"&lt;otp&gt;:&lt;failed attempts&gt;"</c>, the email exactly as the client sent it (as Better Auth 1.2.12 keys it),
/// mailed as an <c>email-otp:&lt;type&gt;</c> message.
/// </summary>
internal sealed partial class EmailOtpCodes(EmailOtpOptions options)
{
    public const string SignIn = "sign-in";
    public const string EmailVerification = "email-verification";
    public const string ForgetPassword = "forget-password";
    public static readonly string[] Types = [EmailVerification, SignIn, ForgetPassword];

    public const string NotImplemented = "send email verification is not implemented";
    public const string OtpExpired = "otp expired";
    public const string InvalidOtp = "Invalid OTP";
    public const string InvalidEmail = "Invalid email";
    public const string TooManyAttempts = "Too many attempts";

    private const char Separator = ':';

    public static string Identifier(string type, string email) => $"{type}-otp-{email}";

    /// <summary>The looser email check the plugin applies on send and verify (not zod's).</summary>
    public static bool IsValidEmail(string email) => EmailPattern().IsMatch(email);

    public static void RequireSender(AuthContext ctx)
    {
        if (!ctx.GetService<AuthMessenger>().HasSenders) throw AuthError.BadRequest(NotImplemented);
    }

    public async Task IssueAndSendAsync(AuthContext ctx, string email, string type)
    {
        var otp = options.GenerateOtp?.Invoke(email, type) ?? OneTimeCodes.Generate(options.EffectiveOtpLength);
        await ctx.GetService<AuthMessenger>().SendAsync(ctx, Message(email, type, otp),
            () => OneTimeCodes.IssueAsync(ctx, Identifier(type, email), otp, TimeSpan.FromSeconds(options.EffectiveExpiresIn), Separator));
    }

    private static AuthMessage Message(string email, string type, string otp) =>
        new($"email-otp:{type}", email) { Otp = otp, Data = new Dictionary<string, string?> { ["type"] = type } };

    /// <summary>
    /// What <see cref="IssueAndSendAsync"/> does to the database, for an email with no account: any code stored for the
    /// identifier is replaced by an already-expired one, so the request costs the same and nothing can be verified.
    /// </summary>
    public Task IssueDecoyAsync(AuthContext ctx, string email, string type)
    {
        var otp = OneTimeCodes.Generate(options.EffectiveOtpLength);
        return ctx.GetService<AuthMessenger>().DecoyAsync(ctx,
            () => OneTimeCodes.IssueAsync(ctx, Identifier(type, email), otp, TimeSpan.FromSeconds(-1), Separator), Message(email, type, otp));
    }

    /// <summary>Checks and consumes the code; failures are Better Auth's answers (a missing code is "Invalid OTP").</summary>
    public async Task VerifyAsync(AuthContext ctx, string email, string type, string otp)
    {
        var result = await OneTimeCodes.VerifyAsync(ctx, Identifier(type, email), otp, options.EffectiveAllowedAttempts, Separator);
        switch (result)
        {
            case OtpResult.Ok: return;
            case OtpResult.Expired: throw AuthError.BadRequest(OtpExpired);
            case OtpResult.TooManyAttempts: throw AuthError.Forbidden(TooManyAttempts);
            // Wrong, missing, or taken by a concurrent request that used the same code first.
            default: throw AuthError.BadRequest(InvalidOtp);
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
