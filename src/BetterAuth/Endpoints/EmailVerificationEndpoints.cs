using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Tokens;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class EmailVerificationEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/send-verification-email", SendVerificationEmail) with
        {
            OperationId = "sendVerificationEmail", Summary = "Send a verification email to the user",
            Request = CoreJsonContext.Default.SendVerificationEmailRequest,
            Response = Returns("Success", Bool("status", "Indicates if the email was sent successfully")),
        },
        AuthEndpoint.Get("/verify-email", VerifyEmail) with
        {
            OperationId = "verifyEmail", Summary = "Verify the email of the user",
            Query = [Str("token", "The token to verify the email").Required(), Str("callbackURL", "The URL to redirect to after email verification")],
            Response = Returns("Verified (or a redirect to callbackURL when given)",
                Bool("status", "Indicates if the email was verified successfully").Required(), Model("user", "User").OrNull().Required()),
        },
    ];

    /// <summary>
    /// POST /send-verification-email. Without a session it always answers <c>{status:true}</c> and mails only known
    /// addresses, so it cannot be used to probe for accounts.
    /// </summary>
    private static async ValueTask<AuthResult> SendVerificationEmail(AuthContext ctx)
    {
        if (!VerificationMail.IsEnabled(ctx)) throw AuthError.BadRequest(VerificationMail.NotEnabled);
        var body = ctx.ReadBody(CoreJsonContext.Default.SendVerificationEmailRequest);
        if (!UserInput.IsValidEmail(body.Email)) throw AuthError.InvalidBody();
        var session = await ctx.GetSessionAsync();
        if (session is null)
        {
            var user = await ctx.Store.FindUserByEmailAsync(body.Email);
            if (user is not null) await VerificationMail.SendAsync(ctx, user.Email, body.CallbackUrl);
            else await VerificationMail.DecoyAsync(ctx, body.Email.ToLowerInvariant(), body.CallbackUrl);
            return AuthResult.Json(StatusResponse.True);
        }
        if (session.User.EmailVerified)
            throw AuthError.BadRequest("You can only send a verification email to an unverified email");
        if (session.User.Email != body.Email)
            throw AuthError.BadRequest("You can only send a verification email to your own email");
        await VerificationMail.SendAsync(ctx, session.User.Email, body.CallbackUrl);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>
    /// GET /verify-email?token=JWT&amp;callbackURL=. Marks the email verified, or — for a change-email token — moves
    /// the account to the new address (needs that user's session) and mails a verification link there. Failures
    /// redirect to <c>callbackURL?error=…</c>, or answer 401 without a callback.
    /// </summary>
    private static async ValueTask<AuthResult> VerifyEmail(AuthContext ctx)
    {
        var token = ctx.Query("token") ?? throw AuthError.InvalidQuery();
        var callback = ctx.Query("callbackURL");
        OriginCheck.ValidateCallback(ctx, callback);

        var (claims, failure) = await ctx.GetService<EmailVerificationTokens>().VerifyAsync(token);
        if (claims is null) return Fail(callback, failure == EmailVerificationTokens.Failure.Expired ? "token_expired" : "invalid_token");
        var user = await ctx.Store.FindUserByEmailAsync(claims.Value.Email);
        if (user is null) return Fail(callback, "user_not_found");

        if (claims.Value.UpdateTo is { } newEmail)
        {
            var session = await ctx.GetSessionAsync();
            if (session is null || session.User.Email != claims.Value.Email) return Fail(callback, "unauthorized");
            User? updated;
            try
            {
                updated = await ctx.Store.UpdateUserAsync(user.Id, u => { u.Email = newEmail.ToLowerInvariant(); u.EmailVerified = false; });
            }
            catch (UniqueViolationException) { return Fail(callback, "unauthorized"); }
            if (updated is null) return Fail(callback, "user_not_found");
            await VerificationMail.SendIfEnabledAsync(ctx, updated, callback);
            SessionManager.SetSessionCookie(ctx, new SessionWithUser(session.Session, updated));
            return callback is not null
                ? AuthResult.Redirect(callback)
                : AuthResult.Json(new StatusUserResponse(true, UserSummary.From(updated)));
        }

        var verified = await ctx.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true) ?? user;
        if (ctx.Auth.Options.EmailVerification.AutoSignInAfterVerification)
        {
            var current = await ctx.GetSessionAsync();
            if (current is null || current.User.Email != claims.Value.Email)
            {
                var signIn = await SessionManager.SignInAsync(ctx, verified, SignInMethods.EmailVerification, dontRemember: false);
                if (signIn.IsChallenged) return signIn.Challenge;
            }
            else
                SessionManager.SetSessionCookie(ctx, new SessionWithUser(current.Session, verified));
        }
        return callback is not null ? AuthResult.Redirect(callback) : AuthResult.Json(new StatusUserResponse(true, null));
    }

    private static AuthResult Fail(string? callback, string error)
    {
        if (string.IsNullOrEmpty(callback)) throw new AuthError(401, error);
        return AuthResult.Redirect($"{callback}{(callback.Contains('?') ? '&' : '?')}error={error}");
    }
}
