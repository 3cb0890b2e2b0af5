using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Username;

/// <summary>POST /sign-in/username: username and password → session, as the username plugin answers.</summary>
internal static class SignInUsernameEndpoint
{
    public static AuthEndpoint Create(UsernameRules rules) =>
        AuthEndpoint.Post("/sign-in/username", ctx => SignInAsync(ctx, rules))
            with
        {
            OperationId = "signInUsername",
            SignInMethod = "username",
            Summary = "Sign in with username",
            Request = UsernameJsonContext.Default.SignInUsernameRequest,
            Response = Returns("Success", Str("token", "Session token for the authenticated session").Required(),
                    Model("user", "User").Required()),
        };

    /// <summary>
    /// Every credential failure (empty field, unknown username, no password, wrong password) is the same 401 after
    /// the same hashing work, so neither the answer nor its timing tells whether a username exists. Malformed
    /// usernames are refused with 422 before any lookup, as Better Auth does; that says nothing about accounts.
    /// </summary>
    private static async ValueTask<AuthResult> SignInAsync(AuthContext ctx, UsernameRules rules)
    {
        var body = ctx.ReadBody(UsernameJsonContext.Default.SignInUsernameRequest);
        if (body.Username.Length == 0 || body.Password.Length == 0)
        {
            await PasswordCheck.VerifyAsync(ctx, null, body.Password);
            throw AuthError.Unauthorized(UsernameErrors.InvalidUsernameOrPassword);
        }
        rules.Validate(body.Username);

        var user = await FindByUsernameAsync(ctx, body.Username);
        if (!await PasswordCheck.VerifyAsync(ctx, user, body.Password) || user is null)
            throw AuthError.Unauthorized(UsernameErrors.InvalidUsernameOrPassword);

        // Checked after the password (Better Auth checks before it), so only the account holder learns that the
        // email is unverified and only they can make the server send a verification mail.
        if (ctx.Auth.Options.EmailAndPassword.RequireEmailVerification && !user.EmailVerified)
        {
            await VerificationMail.SendAsync(ctx, user.Email, callbackUrl: null);
            throw AuthError.Forbidden(UsernameErrors.EmailNotVerified);
        }

        var signIn = await SessionManager.SignInAsync(ctx, user, UsernamePlugin.SignInMethod, dontRemember: body.RememberMe == false);
        if (signIn.IsChallenged) return signIn.Challenge;
        return AuthResult.Json(new SignInUsernameResponse(signIn.Session.Session.Token, UsernameUserSummary.From(user)));
    }

    /// <summary>The user holding this username; usernames are stored lowercased, so the lookup is too.</summary>
    public static Task<User?> FindByUsernameAsync(AuthContext ctx, string username)
    {
        var normalized = UsernameRules.Normalize(username);
        return ctx.Db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => (string?)u[UsernamePlugin.UsernameField] == normalized, ctx.Http.RequestAborted);
    }
}
