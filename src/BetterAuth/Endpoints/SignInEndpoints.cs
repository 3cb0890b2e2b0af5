using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class SignInEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/sign-in/email", SignInEmail) with
        {
            OperationId = "signInEmail", SignInMethod = "email", Summary = "Sign in with email and password",
            Body = [Str("email", "Email of the user").Required(), Str("password", "Password of the user").Required(),
                Str("callbackURL", "Callback URL to use as a redirect for email verification"),
                Bool("rememberMe", "If this is false, the session will not be remembered. Default is `true`.")],
            Response = Returns("Success - Returns either session details or redirect URL", Bool("redirect").Required(),
                Str("token", "Session token").Required(), Model("user", "User").Required(), Field("url", ApiSchema.Null)),
        },
    ];

    /// <summary>POST /sign-in/email. Every failure is the same 401, after the same hashing work, so accounts cannot be probed.</summary>
    private static async ValueTask<AuthResult> SignInEmail(AuthContext ctx)
    {
        if (!ctx.Auth.Options.EmailAndPassword.Enabled) throw AuthError.BadRequest(CoreErrors.EmailPasswordDisabled);
        var body = ctx.ReadBody(CoreJsonContext.Default.SignInEmailRequest);
        if (!UserInput.IsValidEmail(body.Email)) throw AuthError.BadRequest(CoreErrors.InvalidEmail);

        var user = await ctx.Store.FindUserByEmailAsync(body.Email);
        if (!await PasswordCheck.VerifyAsync(ctx, user, body.Password) || user is null)
            throw AuthError.Unauthorized(CoreErrors.InvalidEmailOrPassword);

        if (ctx.Auth.Options.EmailAndPassword.RequireEmailVerification && !user.EmailVerified)
        {
            await VerificationMail.SendIfEnabledAsync(ctx, user, body.CallbackUrl);
            throw AuthError.Forbidden(CoreErrors.EmailNotVerified);
        }

        var dontRemember = body.RememberMe == false;
        var session = await SessionManager.SignInAsync(ctx, user, dontRemember);
        return AuthResult.Json(new SignInResponse(body.CallbackUrl is { Length: > 0 }, session.Session.Token, body.CallbackUrl, UserSummary.From(user)));
    }
}
