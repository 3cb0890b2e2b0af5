using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Otp;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Proving a factor, either to finish enrolment (signed in) or to finish a sign-in (<c>two_factor</c> cookie):
/// verify-totp, send-otp, verify-otp, verify-backup-code. Every code is single use.
/// </summary>
internal sealed class TwoFactorVerifyEndpoints(TwoFactorOptions options, TotpCodes totp)
{
    public const string OtpMessageKind = "two-factor-otp";
    private const char OtpSeparator = '!';

    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/two-factor/verify-totp", VerifyTotp) with
        {
            OperationId = "verifyTOTP", Summary = "Verify two factor TOTP",
            Request = TwoFactorJsonContext.Default.VerifyCodeRequest,
            Response = Returns("Successful response", Bool("status")),
        },
        AuthEndpoint.Post("/two-factor/send-otp", SendOtp) with
        {
            OperationId = "sendTwoFactorOTP", Summary = "Send two factor OTP",
            Description = "Send two factor OTP to the user",
            Request = TwoFactorJsonContext.Default.SendOtpRequest,
            Response = Returns("Successful response", Bool("status")),
        },
        AuthEndpoint.Post("/two-factor/verify-otp", VerifyOtp) with
        {
            OperationId = "verifyTwoFactorOTP", Summary = "Verify two factor OTP",
            Request = TwoFactorJsonContext.Default.VerifyOtpRequest,
            Response = Returns("Two-factor OTP verified successfully", Str("token", "Session token for the authenticated session").Required(),
                Model("user", "User", "The authenticated user object").Required()),
        },
        AuthEndpoint.Post("/two-factor/verify-backup-code", VerifyBackupCode) with
        {
            OperationId = "verifyBackupCode", Summary = "Verify a backup code for two-factor authentication",
            Request = TwoFactorJsonContext.Default.VerifyBackupCodeRequest,
            Response = Returns("Backup code verified successfully",
                Model("session", "Session", "The current session object, included unless disableSession is true").Required(),
                Model("user", "User", "The authenticated user object with two-factor details").Required()),
        },
    ];

    /// <summary>POST /two-factor/verify-totp {code, trustDevice?}. The first right code of an enrolment switches two-factor on.</summary>
    private async ValueTask<AuthResult> VerifyTotp(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.VerifyCodeRequest);
        if (options.TotpOptions.Disable) throw AuthError.BadRequest(TwoFactorErrors.TotpNotConfigured);
        var attempt = await TwoFactorChallenge.ResolveAsync(ctx);
        var row = await TwoFactorChallenge.FindRowAsync(ctx, attempt.User.Id)
                  ?? throw AuthError.BadRequest(TwoFactorErrors.TotpNotEnabled);
        var secret = SymmetricCipher.TryDecrypt(ctx.Auth.Secrets, row.Secret);
        if (secret is null || !totp.Verify(secret, body.Code, ctx.Auth.Time.GetUtcNow(), out var step)
            || !await TotpReplayGuard.TryClaimAsync(ctx, row, step, totp.AcceptedUntil(step)))
            throw TwoFactorChallenge.Invalid(attempt, TwoFactorErrors.InvalidCode);

        if (!TwoFactorChallenge.IsEnabled(attempt.User)) return await FinishEnrolmentAsync(ctx, attempt);
        return await TwoFactorChallenge.CompleteAsync(ctx, attempt, body.TrustDevice == true);
    }

    /// <summary>POST /two-factor/send-otp {trustDevice?}: mails a fresh code (kind <c>two-factor-otp</c>) to the user.</summary>
    private async ValueTask<AuthResult> SendOtp(AuthContext ctx)
    {
        // The body is optional here; when present it must still be a valid object.
        if (ctx.RawBody is { Length: > 0 }) ctx.ReadBody(TwoFactorJsonContext.Default.SendOtpRequest);
        var messenger = ctx.GetService<AuthMessenger>();
        if (!messenger.HasSenders) throw AuthError.BadRequest(TwoFactorErrors.OtpNotConfigured);
        var attempt = await TwoFactorChallenge.ResolveAsync(ctx);
        if (await TwoFactorChallenge.FindRowAsync(ctx, attempt.User.Id) is null) throw AuthError.BadRequest(TwoFactorErrors.OtpNotEnabled);

        var otp = options.OtpOptions;
        var code = OneTimeCodes.Generate(otp.Digits);
        await messenger.SendAsync(ctx, new AuthMessage(OtpMessageKind, attempt.User.Email) { Otp = code },
            () => OneTimeCodes.IssueAsync(ctx, OtpIdentifier(attempt), code, TimeSpan.FromMinutes(otp.Period), OtpSeparator));
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>
    /// POST /two-factor/verify-otp {code, trustDevice?}: a missing or expired code is 400 "OTP has expired", the
    /// attempt cap 400 "Too many attempts…", a wrong code 401 "Invalid code". A right code is consumed.
    /// </summary>
    private async ValueTask<AuthResult> VerifyOtp(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.VerifyOtpRequest);
        var attempt = await TwoFactorChallenge.ResolveAsync(ctx);
        if (await TwoFactorChallenge.FindRowAsync(ctx, attempt.User.Id) is null) throw AuthError.BadRequest(TwoFactorErrors.OtpNotEnabled);

        var result = await OneTimeCodes.VerifyAsync(ctx, OtpIdentifier(attempt), body.Code, options.OtpOptions.AllowedAttempts, OtpSeparator);
        switch (result)
        {
            case OtpResult.NotFound or OtpResult.Expired: throw AuthError.BadRequest(TwoFactorErrors.OtpHasExpired);
            case OtpResult.TooManyAttempts: throw AuthError.BadRequest(TwoFactorErrors.TooManyAttempts);
            case OtpResult.Invalid: throw TwoFactorChallenge.Invalid(attempt, TwoFactorErrors.InvalidCode);
        }

        if (!TwoFactorChallenge.IsEnabled(attempt.User)) return await FinishEnrolmentAsync(ctx, attempt);
        return await TwoFactorChallenge.CompleteAsync(ctx, attempt, body.TrustDevice == true);
    }

    /// <summary>
    /// POST /two-factor/verify-backup-code {code, disableSession?, trustDevice?}: a stored code, removed once used.
    /// With <c>disableSession</c> no session is created and only the user is answered.
    /// </summary>
    private async ValueTask<AuthResult> VerifyBackupCode(AuthContext ctx)
    {
        var body = ctx.ReadBody(TwoFactorJsonContext.Default.VerifyBackupCodeRequest);
        var attempt = await TwoFactorChallenge.ResolveAsync(ctx);
        var row = await TwoFactorChallenge.FindRowAsync(ctx, attempt.User.Id)
                  ?? throw AuthError.BadRequest(TwoFactorErrors.BackupCodesNotEnabled);
        var codes = BackupCodes.Decrypt(ctx.Auth.Secrets, row.BackupCodes);
        if (codes is null || !BackupCodes.TryUse(codes, body.Code, out var remaining))
            throw AuthError.Unauthorized(TwoFactorErrors.InvalidBackupCode);

        // Written only if nobody changed the codes since we read them: of two concurrent uses of a code, one wins.
        var updated = BackupCodes.Encrypt(ctx.Auth.Secrets, remaining);
        var won = await ctx.Db.Set<TwoFactorRow>()
            .Where(t => t.Id == row.Id && t.BackupCodes == row.BackupCodes)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.BackupCodes, updated));
        if (won == 0) throw AuthError.Unauthorized(TwoFactorErrors.InvalidBackupCode);

        if (body.DisableSession != true) return await TwoFactorChallenge.CompleteAsync(ctx, attempt, body.TrustDevice == true);
        return AuthResult.Json(new TwoFactorVerifiedResponse(attempt.Session?.Session.Token, TwoFactorUser.From(attempt.User)));
    }

    /// <summary>
    /// The first verified code of an enrolment: two-factor is switched on and the session rotated. Without a session
    /// (a sign-in challenge for a user who is not enrolled) Better Auth answers 400 "Failed to create session".
    /// </summary>
    private static async Task<AuthResult> FinishEnrolmentAsync(AuthContext ctx, TwoFactorAttempt attempt)
    {
        if (attempt.Session is null) throw AuthError.BadRequest(CoreErrors.FailedToCreateSession);
        var pair = await TwoFactorChallenge.SetEnabledAndRotateAsync(ctx, attempt.Session, enabled: true);
        return AuthResult.Json(new TwoFactorVerifiedResponse(pair.Session.Token, TwoFactorUser.From(pair.User)));
    }

    private static string OtpIdentifier(TwoFactorAttempt attempt) => "2fa-otp-" + attempt.Key;
}
