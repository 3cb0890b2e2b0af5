using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class DeleteUserEndpoints
{
    internal const string Identifier = "delete-account-";
    private static readonly SuccessMessageResponse Deleted = new(true, "User deleted");

    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/delete-user", DeleteUser) with
        {
            OperationId = "deleteUser", Summary = "Delete the user",
            Request = CoreJsonContext.Default.DeleteUserRequest,
            Response = Returns("User deletion processed successfully", Str("message", "Status message of the deletion process").Required(),
                Bool("success", "Indicates if the operation was successful").Required()),
        },
        AuthEndpoint.Get("/delete-user/callback", DeleteUserCallback) with
        {
            OperationId = "deleteUserCallback", Summary = "Callback to complete user deletion with verification token",
            Query = [Str("token", "The token to verify the deletion request").Required(),
                Str("callbackURL", "The URL to redirect to after deletion")],
            Response = Returns("User successfully deleted (or a redirect to callbackURL when given)",
                Str("message", "Confirmation message").Required(), Bool("success", "Indicates if the deletion was successful").Required()),
        },
    ];

    /// <summary>
    /// POST /delete-user {password?, token?, callbackURL?}. Proof of presence is the password, a mailed link
    /// (when enabled), or a fresh session; the user, their sessions and accounts go in one transaction.
    /// </summary>
    private static async ValueTask<AuthResult> DeleteUser(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        var options = ctx.Auth.Options.User.DeleteUser;
        if (!options.Enabled) throw new AuthError(404);
        var body = ctx.RawBody is null ? new DeleteUserRequest() : ctx.ReadBody(CoreJsonContext.Default.DeleteUserRequest);

        if (!string.IsNullOrEmpty(body.Password))
        {
            var account = await ctx.Store.FindCredentialAccountAsync(session.User.Id)
                          ?? throw AuthError.BadRequest(CoreErrors.CredentialAccountNotFound);
            if (!await ctx.Auth.Passwords.VerifyAsync(account.Password!, body.Password, ctx.Http.RequestAborted))
                throw AuthError.BadRequest(CoreErrors.InvalidPassword);
        }
        if (!string.IsNullOrEmpty(body.Token))
        {
            await DeleteWithTokenAsync(ctx, session, body.Token);
            return AuthResult.Json(Deleted);
        }
        if (options.SendDeleteAccountVerification)
        {
            var messenger = ctx.GetService<AuthMessenger>();
            var token = RandomStrings.From(RandomStrings.LowerAlphanumeric, 32);
            var callback = string.IsNullOrEmpty(body.CallbackUrl) ? "/" : body.CallbackUrl;
            await messenger.SendAsync(ctx, new AuthMessage("delete-account", session.User.Email)
            {
                Token = token,
                Url = $"{ctx.BaseUrl}/delete-user/callback?token={token}&callbackURL={callback}",
            }, () => ctx.Store.CreateVerificationAsync(Identifier + token, session.User.Id, ctx.Auth.Now.AddSeconds(options.DeleteTokenExpiresIn)));
            return AuthResult.Json(new SuccessMessageResponse(true, "Verification email sent"));
        }
        // Without a password, only a recently created session may delete the account (the reference's check
        // never fires because of a unit slip; ours does, per OWASP ASVS 7.5.1).
        var freshAge = ctx.Auth.Options.Session.FreshAge;
        if (string.IsNullOrEmpty(body.Password) && freshAge > 0 && (ctx.Auth.Now - session.Session.CreatedAt).TotalSeconds > freshAge)
            throw AuthError.BadRequest(CoreErrors.SessionExpired);

        await ctx.Store.DeleteUserAsync(session.User);
        SessionManager.DeleteSessionCookie(ctx);
        return AuthResult.Json(Deleted);
    }

    /// <summary>GET /delete-user/callback?token&amp;callbackURL: the mailed link; needs the same user's session.</summary>
    private static async ValueTask<AuthResult> DeleteUserCallback(AuthContext ctx)
    {
        if (!ctx.Auth.Options.User.DeleteUser.Enabled) throw new AuthError(404);
        var token = ctx.Query("token") ?? throw AuthError.InvalidQuery();
        var callback = ctx.Query("callbackURL");
        OriginCheck.ValidateCallback(ctx, callback);
        var session = await ctx.GetSessionAsync() ?? throw AuthError.NotFound("Failed to get user info");
        await DeleteWithTokenAsync(ctx, session, token);
        return string.IsNullOrEmpty(callback) ? AuthResult.Json(Deleted) : AuthResult.Redirect(callback);
    }

    private static async Task DeleteWithTokenAsync(AuthContext ctx, SessionWithUser session, string token)
    {
        var row = await ctx.Store.FindVerificationAsync(Identifier + token);
        if (row is null || row.ExpiresAt < ctx.Auth.Now || row.Value != session.User.Id)
            throw AuthError.NotFound(CoreErrors.InvalidToken);
        if (await ctx.Store.DeleteVerificationAsync(row.Id) == 0) throw AuthError.NotFound(CoreErrors.InvalidToken);
        await ctx.Store.DeleteUserAsync(session.User);
        SessionManager.DeleteSessionCookie(ctx);
    }
}
