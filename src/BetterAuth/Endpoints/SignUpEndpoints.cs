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

        // The body is an untyped record in Better Auth, whose checks read each value as JavaScript does; where they name
        // a field's own error for a mistyped value, so do we, in the same order.
        var body = ctx.BodyObject();
        // A non-string callbackURL crashes Better Auth's origin check before the handler runs: a 400 here, first too.
        var callbackUrl = UserInput.OptionalString(body, "callbackURL");
        // The email goes through z.string().email(): anything but an address string is INVALID_EMAIL.
        var email = body.TryGetProperty("email", out var emailValue) && emailValue.ValueKind == JsonValueKind.String ? emailValue.GetString() : null;
        if (!UserInput.IsValidEmail(email)) throw AuthError.BadRequest(CoreErrors.InvalidEmail);
        // The length rules read password.length, which arrays have too. Better Auth crashes on a missing password here
        // and later while hashing any other non-string; that is a 400 here, after the taken-email check it reaches first.
        if (!body.TryGetProperty("password", out var passwordValue) || passwordValue.ValueKind == JsonValueKind.Null) throw AuthError.InvalidBody();
        if (passwordValue.ValueKind == JsonValueKind.String) PasswordPolicy.Check(options, passwordValue.GetString()!);
        else if (passwordValue.ValueKind == JsonValueKind.Array) PasswordPolicy.CheckLength(options, passwordValue.GetArrayLength());

        if (await ctx.Store.FindUserByEmailAsync(email!) is not null)
            throw AuthError.Unprocessable(CoreErrors.UserAlreadyExists);

        var password = passwordValue.ValueKind == JsonValueKind.String ? passwordValue.GetString()! : throw AuthError.InvalidBody();
        // Better Auth 422s (leaking a SQLite error) on a missing name: 400 here.
        var name = UserInput.OptionalString(body, "name") ?? throw AuthError.InvalidBody();
        var image = UserInput.OptionalString(body, "image");

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
            await VerificationMail.SendIfEnabledAsync(ctx, user, callbackUrl);

        if (!options.AutoSignIn || options.RequireEmailVerification)
            return AuthResult.Json(new TokenUserResponse(null, UserSummary.From(user)));

        // Later Better Auth (1.3+) takes rememberMe on sign-up as on sign-in: false → a browser-session cookie.
        // 1.2.12 ignored the field; only an explicit false changes anything, so its clients see no difference.
        var dontRemember = body.TryGetProperty("rememberMe", out var rememberMe) && rememberMe.ValueKind == JsonValueKind.False;
        var session = await SessionManager.SignInAsync(ctx, user, dontRemember);
        return AuthResult.Json(new TokenUserResponse(session.Session.Token, UserSummary.From(user)));
    }
}
