using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class SignUpEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Post("/sign-up/email", SignUpEmail) with
        {
            OperationId = "signUpWithEmailAndPassword", SignUpMethod = "email", Summary = "Sign up a user using email and password",
            Body = [Str("email", "The email of the user").Required(), Str("name", "The name of the user").Required(),
                Str("password", "The password of the user").Required(), Str("callbackURL", "The URL to use for email verification callback"),
                Str("image", "The profile image URL of the user"), Bool("rememberMe", "If false, the session ends with the browser session")],
            Response = Returns("Successfully created user", Model("user", "User").Required(), Str("token", "Authentication token for the session")),
        },
    ];

    /// <summary>
    /// POST /sign-up/email. Checks in Better Auth's order: enabled → email → password length → email free (422);
    /// then the user and its credential account are written in one transaction and, with autoSignIn, a session issued.
    /// </summary>
    private static async ValueTask<AuthResult> SignUpEmail(AuthContext ctx)
    {
        var options = ctx.Auth.Options.EmailAndPassword;
        if (!options.Enabled || options.DisableSignUp) throw AuthError.BadRequest(CoreErrors.SignUpDisabled);

        var body = ctx.BodyObject();
        var email = UserInput.OptionalString(body, "email");
        if (!UserInput.IsValidEmail(email)) throw AuthError.BadRequest(CoreErrors.InvalidEmail);
        // Better Auth 500s on a missing password and 422s (leaking a SQLite error) on a missing name: 400 here.
        var password = UserInput.OptionalString(body, "password") ?? throw AuthError.InvalidBody();
        var name = UserInput.OptionalString(body, "name") ?? throw AuthError.InvalidBody();
        var image = UserInput.OptionalString(body, "image");
        PasswordPolicy.Check(options, password);

        if (await ctx.Store.FindUserByEmailAsync(email!) is not null)
            throw AuthError.Unprocessable(CoreErrors.UserAlreadyExists);

        var user = ctx.Store.NewUser(email!, name);
        user.Image = image;
        UserInput.Apply(user, UserInput.ReadFields(ctx.Auth.Registry.Schema, body, UserWrite.SignUp));
        // Hash before writing anything, so a failing hasher leaves no half-made user.
        var hash = await ctx.Auth.Passwords.HashAsync(password, ctx.Http.RequestAborted);
        try
        {
            await ctx.Store.CreateUserAsync(user, ctx.Store.NewCredentialAccount(user.Id, hash));
        }
        catch (UniqueViolationException)
        {
            // Lost a race with a concurrent sign-up of the same email (or another unique plugin field).
            throw AuthError.Unprocessable(CoreErrors.UserAlreadyExists);
        }

        if (ctx.Auth.Options.EmailVerification.SendOnSignUp || options.RequireEmailVerification)
            await VerificationMail.SendIfEnabledAsync(ctx, user, UserInput.OptionalString(body, "callbackURL"));

        if (!options.AutoSignIn || options.RequireEmailVerification)
            return AuthResult.Json(new TokenUserResponse(null, UserSummary.From(user)));

        // Later Better Auth (1.3+) takes rememberMe on sign-up as on sign-in: false → a browser-session cookie.
        // 1.2.12 ignored the field; only an explicit false changes anything, so its clients see no difference.
        var dontRemember = body.TryGetProperty("rememberMe", out var rememberMe) && rememberMe.ValueKind == JsonValueKind.False;
        var session = await SessionManager.SignInAsync(ctx, user, dontRemember);
        return AuthResult.Json(new TokenUserResponse(session.Session.Token, UserSummary.From(user)));
    }
}
