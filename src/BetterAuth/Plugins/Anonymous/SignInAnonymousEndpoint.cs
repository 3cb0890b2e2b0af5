using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Sessions;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Anonymous;

/// <summary>POST /sign-in/anonymous: a new user with a placeholder email and <c>isAnonymous=true</c>, signed in.</summary>
internal static class SignInAnonymousEndpoint
{
    public const string Path = "/sign-in/anonymous";
    public const string DefaultName = "Anonymous";

    public static AuthEndpoint Create(AnonymousOptions options) =>
        AuthEndpoint.Post(Path, ctx => SignInAsync(ctx, options))
            with
        {
            OperationId = "signInAnonymous",
            SignInMethod = "anonymous",
            Summary = "Sign in anonymously",
            Response = Returns("Sign in anonymously", Str("token", "Session token").Required(), Model("user", "User").Required()),
        };

    private static async ValueTask<AuthResult> SignInAsync(AuthContext ctx, AnonymousOptions options)
    {
        // Checked before anything is written: Better Auth refuses only after it has created (and cookied) another
        // anonymous user, leaving an orphan behind.
        if (AnonymousPlugin.IsAnonymous((await SessionManager.PeekAsync(ctx))?.User))
            throw AuthError.BadRequest(AnonymousPlugin.CannotSignInAgain);

        var domain = options.EmailDomainName ?? BaseOrigin(ctx);
        var name = options.GenerateName?.Invoke(ctx) is { Length: > 0 } generated ? generated : DefaultName;
        // The id in the email is its own random id, not the user id, as in Better Auth.
        var user = ctx.Store.NewUser($"temp-{RandomStrings.Id()}@{domain}", name);
        user[AnonymousPlugin.IsAnonymousField] = true;

        // User and session in one transaction: a refused session (a lifecycle hook) or a challenged sign-in leaves no
        // user behind (the user exists only to hold that session; a challenge's own writes go with it).
        await using var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted);
        await ctx.Store.CreateUserAsync(user);
        var signIn = await SessionManager.SignInAsync(ctx, user, AnonymousPlugin.SignInMethod, dontRemember: false);
        if (signIn.IsChallenged) return signIn.Challenge;
        await tx.CommitAsync(ctx.Http.RequestAborted);
        return AuthResult.Json(new SignInAnonymousResponse(signIn.Session.Session.Token, AnonymousUserSummary.From(user)));
    }

    /// <summary>The base URL's origin, scheme included, like JavaScript's <c>new URL(baseURL).origin</c>.</summary>
    private static string BaseOrigin(AuthContext ctx) =>
        Uri.TryCreate(ctx.BaseUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : ctx.RequestOrigin;
}
