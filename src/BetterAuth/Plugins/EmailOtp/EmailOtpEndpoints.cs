using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.EmailOtp;

/// <summary>Sending codes, verifying an email, signing in (or up) and resetting a password with an emailed code.</summary>
internal sealed class EmailOtpEndpoints(EmailOtpOptions options, EmailOtpCodes codes)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/email-otp/send-verification-otp", SendVerificationOtp) with
        {
            OperationId = "sendEmailVerificationOTP", Summary = "Send verification OTP",
            Request = EmailOtpJsonContext.Default.SendEmailOtpRequest,
            Response = Returns("Success", Bool("success")),
        },
        AuthEndpoint.Post("/email-otp/verify-email", VerifyEmail) with
        {
            OperationId = "verifyEmailWithOTP", Summary = "Verify email with OTP",
            Description = "Verify email OTP",
            Request = EmailOtpJsonContext.Default.VerifyEmailOtpRequest,
            Response = Returns("Success", Bool("status", "Indicates if the verification was successful").Required(),
                Str("token", "Session token if autoSignInAfterVerification is enabled, otherwise null").OrNull(), Model("user", "User").Required()),
        },
        AuthEndpoint.Post("/sign-in/email-otp", SignIn) with
        {
            OperationId = "signInWithEmailOTP", SignInMethod = "email_otp", Summary = "Sign in with email OTP",
            Request = EmailOtpJsonContext.Default.EmailOtpRequest,
            Response = Returns("Success", Str("token", "Session token for the authenticated session").Required(), Model("user", "User").Required()),
        },
        AuthEndpoint.Post("/forget-password/email-otp", ForgetPassword) with
        {
            OperationId = "forgetPasswordWithEmailOTP", Summary = "Forget password with email OTP",
            Request = EmailOtpJsonContext.Default.EmailRequest,
            Response = Returns("Success", Bool("success", "Indicates if the OTP was sent successfully")),
        },
        AuthEndpoint.Post("/email-otp/reset-password", ResetPassword) with
        {
            OperationId = "resetPasswordWithEmailOTP", Summary = "Reset password with email OTP",
            Request = EmailOtpJsonContext.Default.EmailOtpResetPasswordRequest,
            Response = Returns("Success", Bool("success")),
        },
    ];

    /// <summary>
    /// POST /email-otp/send-verification-otp {email, type} → <c>{success:true}</c>. For forget-password (and for every
    /// type when sign-up is disabled) an unknown email gets the same answer and no mail, so accounts cannot be probed.
    /// </summary>
    private async ValueTask<AuthResult> SendVerificationOtp(AuthContext ctx)
    {
        var body = ctx.ReadBody(EmailOtpJsonContext.Default.SendEmailOtpRequest);
        if (!EmailOtpCodes.Types.Contains(body.Type)) throw AuthError.InvalidBody();
        EmailOtpCodes.RequireSender(ctx);
        if (!EmailOtpCodes.IsValidEmail(body.Email)) throw AuthError.BadRequest(EmailOtpCodes.InvalidEmail);

        if ((body.Type == EmailOtpCodes.ForgetPassword || options.DisableSignUp) && await ctx.Store.FindUserByEmailAsync(body.Email) is null)
        {
            // Same answer and the same database writes as for a known email (ASVS 6.3.8); no mail.
            await codes.IssueDecoyAsync(ctx, body.Email, body.Type);
            return AuthResult.Json(SuccessResponse.True);
        }
        await codes.IssueAndSendAsync(ctx, body.Email, body.Type);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>POST /email-otp/verify-email {email, otp}: marks the email verified; signs in only with autoSignInAfterVerification.</summary>
    private async ValueTask<AuthResult> VerifyEmail(AuthContext ctx)
    {
        var body = ctx.ReadBody(EmailOtpJsonContext.Default.VerifyEmailOtpRequest);
        if (!EmailOtpCodes.IsValidEmail(body.Email)) throw AuthError.BadRequest(EmailOtpCodes.InvalidEmail);
        await codes.VerifyAsync(ctx, body.Email, EmailOtpCodes.EmailVerification, body.Otp);

        var user = await ctx.Store.FindUserByEmailAsync(body.Email) ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);
        // Better Auth also writes the email back exactly as typed (mixed case breaks later look-ups); the stored one is kept here.
        var updated = await ctx.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true)
            ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);

        if (!ctx.Auth.Options.EmailVerification.AutoSignInAfterVerification)
            return AuthResult.Json(new EmailOtpVerifyResponse(true, null, UserSummary.From(updated)));
        var signIn = await SessionManager.SignInAsync(ctx, updated, EmailOtpPlugin.SignInMethod, dontRemember: false);
        if (signIn.IsChallenged) return signIn.Challenge;
        return AuthResult.Json(new EmailOtpVerifyResponse(true, signIn.Session.Session.Token, UserSummary.From(updated)));
    }

    /// <summary>
    /// POST /sign-in/email-otp {email, otp} → <c>{token, user}</c>. An unknown email becomes a verified user with an
    /// empty name, unless sign-up is disabled (400 "User not found"); a known one is marked verified.
    /// </summary>
    private async ValueTask<AuthResult> SignIn(AuthContext ctx)
    {
        var body = ctx.ReadBody(EmailOtpJsonContext.Default.EmailOtpRequest);
        await codes.VerifyAsync(ctx, body.Email, EmailOtpCodes.SignIn, body.Otp);

        var user = await ctx.Store.FindUserByEmailAsync(body.Email);
        if (user is null)
        {
            if (options.DisableSignUp) throw AuthError.BadRequest(CoreErrors.UserNotFound);
            var created = ctx.Store.NewUser(body.Email, "");
            created.EmailVerified = true;
            try { user = await ctx.Store.CreateUserAsync(created); }
            catch (UniqueViolationException)
            {
                // A concurrent request created the same user (with another code): use that row.
                user = await ctx.Store.FindUserByEmailAsync(body.Email) ?? throw AuthError.Unprocessable(CoreErrors.FailedToCreateUser);
            }
            var first = await SessionManager.SignInAsync(ctx, user, EmailOtpPlugin.SignInMethod, dontRemember: false);
            if (first.IsChallenged) return first.Challenge;
            return AuthResult.Json(new TokenUserResponse(first.Session.Session.Token, UserSummary.From(user)));
        }

        var current = user.EmailVerified ? user : await ClaimUnprovenAccountAsync(ctx, user);
        var signIn = await SessionManager.SignInAsync(ctx, current, EmailOtpPlugin.SignInMethod, dontRemember: false);
        if (signIn.IsChallenged) return signIn.Challenge;
        // Better Auth answers with the row as read before marking it verified; clients see that, so it is kept.
        return AuthResult.Json(new TokenUserResponse(signIn.Session.Session.Token, UserSummary.From(user)));
    }

    /// <summary>
    /// The mailbox owner signs in to an account whose email was never proven: whoever registered the address first may
    /// have set its password and still hold sessions, so the password (credential account) and every session are
    /// dropped as the email is marked verified, in one transaction (later Better Auth, #10239). The owner can set a
    /// password through the reset flow.
    /// </summary>
    private static async Task<User> ClaimUnprovenAccountAsync(AuthContext ctx, User user)
    {
        var aborted = ctx.Http.RequestAborted;
        await using var tx = await ctx.Db.Database.BeginTransactionAsync(aborted);
        // Read again under the user's row lock (which every update of the user waits for): a verification that
        // committed first has proven the address, and then nothing is dropped.
        await ctx.Db.LockRowAsync<User>(u => u.Id, user.Id, aborted);
        var claimed = await ctx.Store.FindUserByIdAsync(user.Id) ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);
        if (!claimed.EmailVerified)
        {
            await ctx.Store.DeleteAccountsAsync(user.Id, Account.CredentialProvider);
            await ctx.Store.DeleteSessionsAsync(user.Id);
            claimed = await ctx.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true) ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);
        }
        await tx.CommitAsync(aborted);
        return claimed;
    }

    /// <summary>POST /forget-password/email-otp {email}: mails a forget-password code; an unknown email is 400 "User not found", as in Better Auth.</summary>
    private async ValueTask<AuthResult> ForgetPassword(AuthContext ctx)
    {
        var body = ctx.ReadBody(EmailOtpJsonContext.Default.EmailRequest);
        EmailOtpCodes.RequireSender(ctx);
        if (await ctx.Store.FindUserByEmailAsync(body.Email) is null) throw AuthError.BadRequest(CoreErrors.UserNotFound);
        await codes.IssueAndSendAsync(ctx, body.Email, EmailOtpCodes.ForgetPassword);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>
    /// POST /email-otp/reset-password {email, otp, password}: sets (or creates) the credential password and marks the
    /// email verified, in one transaction. Unlike Better Auth the password length rules apply, checked before the code
    /// so a refused password does not cost an attempt.
    /// </summary>
    private async ValueTask<AuthResult> ResetPassword(AuthContext ctx)
    {
        var body = ctx.ReadBody(EmailOtpJsonContext.Default.EmailOtpResetPasswordRequest);
        var user = await ctx.Store.FindUserByEmailAsync(body.Email) ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, body.Password);
        await codes.VerifyAsync(ctx, body.Email, EmailOtpCodes.ForgetPassword, body.Otp);

        var hash = await ctx.Auth.Passwords.HashAsync(body.Password, ctx.Http.RequestAborted);
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted))
        {
            await ctx.Store.SetPasswordAsync(user.Id, hash);
            if (!user.EmailVerified) await ctx.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true);
            if (ctx.Auth.Options.EmailAndPassword.RevokeSessionsOnPasswordReset) await ctx.Store.DeleteSessionsAsync(user.Id);
            await tx.CommitAsync(ctx.Http.RequestAborted);
        }
        return AuthResult.Json(SuccessResponse.True);
    }
}
