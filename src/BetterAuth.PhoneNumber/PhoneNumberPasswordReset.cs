using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>Password reset by a code texted to the account's number.</summary>
internal sealed class PhoneNumberPasswordReset(PhoneCodes codes)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/phone-number/forget-password", RequestReset) with
        {
            OperationId = "forgetPasswordPhoneNumber", Summary = "Request OTP for password reset via phone number",
            Body = [Str("phoneNumber").Required()],
            Response = Returns("OTP sent successfully for password reset", Bool("status", "Indicates if the OTP was sent successfully").Required()),
        },
        AuthEndpoint.Post("/phone-number/request-password-reset", RequestReset) with
        {
            OperationId = "requestPasswordResetPhoneNumber", Summary = "Request OTP for password reset via phone number",
            Body = [Str("phoneNumber").Required()],
            Response = Returns("OTP sent successfully for password reset", Bool("status", "Indicates if the OTP was sent successfully").Required()),
        },
        AuthEndpoint.Post("/phone-number/reset-password", ResetPassword) with
        {
            OperationId = "resetPasswordPhoneNumber", Summary = "Reset password using phone number OTP",
            Body = [Str("newPassword").Required(), Str("otp").Required(), Str("phoneNumber").Required()],
            Response = Returns("Password reset successfully", Bool("status", "Indicates if the password was reset successfully").Required()),
        },
    ];

    /// <summary>
    /// POST /phone-number/request-password-reset (and its deprecated name /phone-number/forget-password): texts a reset
    /// code to a registered number → <c>{status:true}</c>; an unregistered one is 400, as in Better Auth.
    /// </summary>
    private async ValueTask<AuthResult> RequestReset(AuthContext ctx)
    {
        var body = ctx.ReadBody(PhoneNumberJsonContext.Default.PhoneNumberRequest);
        PhoneNumberValidation.RequireOwnIdentifiers(ctx, body.PhoneNumber);
        if (await PhoneCodes.FindUserAsync(ctx, body.PhoneNumber) is null) throw AuthError.BadRequest(PhoneNumberErrors.NotRegistered);
        await codes.IssueAndSendAsync(ctx, PhoneCodes.ResetIdentifier(body.PhoneNumber), body.PhoneNumber, PhoneCodes.ResetKind);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>
    /// POST /phone-number/reset-password {otp, phoneNumber, newPassword}. Unlike Better Auth the password length rules
    /// apply (checked first, so a refused password does not cost an attempt), the code is single-use, and a user
    /// without a password (signed up by phone) gets one instead of a silent no-op.
    /// </summary>
    private async ValueTask<AuthResult> ResetPassword(AuthContext ctx)
    {
        var body = ctx.ReadBody(PhoneNumberJsonContext.Default.ResetPasswordPhoneNumberRequest);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, body.NewPassword);
        PhoneNumberValidation.RequireOwnIdentifiers(ctx, body.PhoneNumber);
        await codes.VerifyAsync(ctx, PhoneCodes.ResetIdentifier(body.PhoneNumber), body.Otp);

        var user = await PhoneCodes.FindUserAsync(ctx, body.PhoneNumber) ?? throw AuthError.BadRequest(PhoneNumberErrors.UnexpectedError);
        var hash = await ctx.Auth.Passwords.HashAsync(body.NewPassword, ctx.Http.RequestAborted);
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted))
        {
            await ctx.Store.SetPasswordAsync(user.Id, hash);
            if (ctx.Auth.Options.EmailAndPassword.RevokeSessionsOnPasswordReset) await ctx.Store.DeleteSessionsAsync(user.Id);
            await tx.CommitAsync(ctx.Http.RequestAborted);
        }
        return AuthResult.Json(StatusResponse.True);
    }
}
