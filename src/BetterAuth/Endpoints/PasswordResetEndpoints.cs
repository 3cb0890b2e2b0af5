using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class PasswordResetEndpoints
{
    private const string NotEnabled = "Reset password isn't enabled";
    internal const string Identifier = "reset-password:";
    /// <summary>One answer for known and unknown addresses (the reference adds this message only for unknown ones, which leaks).</summary>
    private static readonly StatusMessageResponse Requested = new(true, "If this email exists in our system, check your email for the reset link");

    // The old and the new name of one operation share their documentation (declared before All, which uses it).
    private static readonly ApiResponse RequestResetAnswer = Returns("Success", Str("message"), Bool("status"));

    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/forget-password", RequestReset) with
        {
            OperationId = "forgetPassword", Summary = "Send a password reset email to the user",
            Request = CoreJsonContext.Default.RequestPasswordResetRequest,
            Response = RequestResetAnswer,
        },
        AuthEndpoint.Post("/request-password-reset", RequestReset) with
        {
            OperationId = "requestPasswordReset", Summary = "Send a password reset email to the user",
            Request = CoreJsonContext.Default.RequestPasswordResetRequest,
            Response = RequestResetAnswer,
        },
        AuthEndpoint.Get("/reset-password/{token}", ResetPasswordCallback) with
        {
            OperationId = "resetPasswordCallback", Summary = "Redirects the user to the callback URL with the token",
            Query = [Str("callbackURL", "The URL to redirect the user to reset their password").Required()],
            Response = RedirectsTo("Redirects to callbackURL with the token (or with error=INVALID_TOKEN)"),
        },
        AuthEndpoint.Post("/reset-password", ResetPassword) with
        {
            OperationId = "resetPassword", Summary = "Reset the password for a user",
            Request = CoreJsonContext.Default.ResetPasswordRequest,
            Response = Returns("Success", Bool("status")),
        },
    ];

    /// <summary>
    /// POST /request-password-reset (and its old name /forget-password): stores <c>reset-password:&lt;24 chars&gt;</c>
    /// → userId and mails <c>{baseURL}/reset-password/&lt;token&gt;?callbackURL=…</c>.
    /// </summary>
    private static async ValueTask<AuthResult> RequestReset(AuthContext ctx)
    {
        var messenger = ctx.GetService<AuthMessenger>();
        if (!messenger.HasSenders) throw AuthError.BadRequest(NotEnabled);
        var body = ctx.ReadBody(CoreJsonContext.Default.RequestPasswordResetRequest);
        if (!UserInput.IsValidEmail(body.Email)) throw AuthError.InvalidBody();

        var user = await ctx.Store.FindUserByEmailAsync(body.Email);
        var token = RandomStrings.Id(24);
        var callback = string.IsNullOrEmpty(body.RedirectTo) ? "" : Uri.EscapeDataString(body.RedirectTo);
        var message = new AuthMessage("reset-password", user?.Email ?? body.Email.ToLowerInvariant())
        {
            Token = token,
            Url = $"{ctx.BaseUrl}/reset-password/{token}?callbackURL={callback}",
        };
        if (user is null)
        {
            // Same answer and the same database writes as for a known email (ASVS 6.3.8); no mail.
            await messenger.DecoyAsync(ctx, () => DecoyWork.StoreExpiredVerificationAsync(ctx, Identifier + token), message);
            return AuthResult.Json(Requested);
        }
        // The token's row and its mail are stored together.
        await messenger.SendAsync(ctx, message, () => ctx.Store.CreateVerificationAsync(Identifier + token, user.Id,
            ctx.Auth.Now.AddSeconds(ctx.Auth.Options.EmailAndPassword.ResetPasswordTokenExpiresIn)));
        return AuthResult.Json(Requested);
    }

    /// <summary>GET /reset-password/{token}?callbackURL=: redirects to the callback with <c>?token=</c>, or <c>?error=INVALID_TOKEN</c>.</summary>
    private static async ValueTask<AuthResult> ResetPasswordCallback(AuthContext ctx)
    {
        var callback = ctx.Query("callbackURL") ?? throw AuthError.InvalidQuery();
        OriginCheck.ValidateCallback(ctx, callback);
        var token = ctx.Http.Request.RouteValues["token"] as string;
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(callback))
            return AuthResult.Redirect(WithQuery(ctx, callback, "error", "INVALID_TOKEN"));
        var row = await ctx.Store.FindVerificationAsync(Identifier + token);
        if (row is null || row.ExpiresAt < ctx.Auth.Now)
            return AuthResult.Redirect(WithQuery(ctx, callback, "error", "INVALID_TOKEN"));
        return AuthResult.Redirect(WithQuery(ctx, callback, "token", token));
    }

    /// <summary>POST /reset-password {newPassword, token}: single use; the token is consumed before the password changes.</summary>
    private static async ValueTask<AuthResult> ResetPassword(AuthContext ctx)
    {
        var body = ctx.ReadBody(CoreJsonContext.Default.ResetPasswordRequest);
        var token = body.Token ?? ctx.Query("token");
        if (string.IsNullOrEmpty(token)) throw AuthError.BadRequest(CoreErrors.InvalidToken);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, body.NewPassword);

        var row = await ctx.Store.ConsumeVerificationAsync(Identifier + token) ?? throw AuthError.BadRequest(CoreErrors.InvalidToken);
        var hash = await ctx.Auth.Passwords.HashAsync(body.NewPassword, ctx.Http.RequestAborted);
        await ctx.Store.SetPasswordAsync(row.Value, hash);
        if (ctx.Auth.Options.EmailAndPassword.RevokeSessionsOnPasswordReset)
            await ctx.Store.DeleteSessionsAsync(row.Value);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>Resolves the callback against the base URL (a relative one becomes absolute) and sets one query parameter.</summary>
    private static string WithQuery(AuthContext ctx, string? callback, string key, string value) =>
        RedirectUrls.WithSearchParam(string.IsNullOrEmpty(callback) ? ctx.BaseUrl + "/error" : callback,
            ctx.Auth.BaseOrigin ?? ctx.RequestOrigin, key, value);
}
