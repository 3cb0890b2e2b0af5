using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.MagicLink;

/// <summary>Mailing a sign-in link and signing in (or up) with it.</summary>
internal sealed class MagicLinkEndpoints(MagicLinkOptions options)
{
    public const string SendPath = "/sign-in/magic-link";
    public const string VerifyPath = "/magic-link/verify";
    public const string MessageKind = "magic-link";
    public const string NotEnabled = "Magic link isn't enabled";

    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post(SendPath, SignInMagicLink) with
        {
            OperationId = "signInWithMagicLink", Summary = "Sign in with magic link", Description = "Sign in with magic link",
            Body = [Str("email", "Email address to send the magic link").Required(),
                Str("name", "User display name. Only used if the user is registering for the first time."),
                Str("callbackURL", "URL to redirect after magic link verification")],
            Response = Returns("Success", Bool("status")),
        },
        AuthEndpoint.Get(VerifyPath, Verify) with
        {
            OperationId = "verifyMagicLink", SignInMethod = "magic_link", Summary = "Verify magic link", Description = "Verify magic link",
            Query = [Str("token", "Verification token").Required(),
                Str("callbackURL", "URL to redirect after magic link verification, if not provided will return session")],
            Response = Returns("The session token and user (or a redirect to callbackURL when given)",
                Str("token").Required(), Model("user", "User").Required()),
        },
    ];

    /// <summary>
    /// POST /sign-in/magic-link {email, name?, callbackURL?} → <c>{status:true}</c>: stores the link's token and mails
    /// <c>{baseURL}/magic-link/verify?token=…&amp;callbackURL=…</c> as a <c>magic-link</c> message.
    /// </summary>
    private async ValueTask<AuthResult> SignInMagicLink(AuthContext ctx)
    {
        var body = ctx.ReadBody(MagicLinkJsonContext.Default.SignInMagicLinkRequest);
        if (!UserInput.IsValidEmail(body.Email)) throw AuthError.InvalidBody();
        if (!ctx.GetService<AuthMessenger>().HasSenders) throw AuthError.BadRequest(NotEnabled);

        if (options.DisableSignUp && await ctx.Store.FindUserByEmailAsync(body.Email) is null)
        {
            // The same answer and the same insert as for a known email (ASVS 6.3.8), but nothing usable and no mail.
            await DecoyWork.StoreExpiredVerificationAsync(ctx, MagicLinkTokens.NewToken());
            return AuthResult.Json(StatusResponse.True);
        }

        var token = options.GenerateToken?.Invoke(body.Email) ?? MagicLinkTokens.NewToken();
        await ctx.Store.CreateVerificationAsync(token, MagicLinkTokens.Value(body.Email, body.Name),
            ctx.Auth.Now.AddSeconds(options.EffectiveExpiresIn));
        var callback = string.IsNullOrEmpty(body.CallbackUrl) ? "/" : body.CallbackUrl;
        var url = $"{ctx.BaseUrl}{VerifyPath}?token={JsEncoding.EncodeUriComponent(token)}&callbackURL={JsEncoding.EncodeUriComponent(callback)}";
        await ctx.GetService<AuthMessenger>().SendAsync(new AuthMessage(MessageKind, body.Email) { Token = token, Url = url }, ctx.Http.RequestAborted);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>
    /// GET /magic-link/verify?token=&amp;callbackURL=: single use. Signs the email's user in (creating a verified user
    /// for an unknown email unless sign-up is disabled) and redirects to the callback, or answers <c>{token, user}</c>
    /// without one. A bad or used token redirects to the callback with <c>error=INVALID_TOKEN</c>, an expired one with
    /// <c>error=EXPIRED_TOKEN</c>. Better Auth appends <c>?error=</c> even to a callback that has a query; the error is
    /// set as a query parameter here, so the URL stays well-formed.
    /// </summary>
    private async ValueTask<AuthResult> Verify(AuthContext ctx)
    {
        var token = ctx.Query("token") ?? throw AuthError.InvalidQuery();
        var rawCallback = ctx.Query("callbackURL");
        // Better Auth decodes the (already decoded) value once more; where JavaScript's decoder throws (a 500 there),
        // the value is no usable URL.
        var callback = string.IsNullOrEmpty(rawCallback) ? "/"
            : JsEncoding.DecodeUriComponent(rawCallback) ?? throw AuthError.Forbidden(CoreErrors.InvalidCallbackUrl);
        OriginCheck.ValidateCallback(ctx, callback);
        AuthResult Fail(string error)
        {
            ctx.Outcome.Failed(error); // answered with a redirect, yet a failed sign-in for the telemetry
            return AuthResult.Redirect(RedirectUrls.WithSearchParam(callback, ctx.Auth.BaseOrigin ?? ctx.RequestOrigin, "error", error));
        }

        var row = await ctx.Store.FindVerificationAsync(token);
        if (row is null || MagicLinkTokens.Read(row.Value) is not { } link) return Fail("INVALID_TOKEN");
        if (row.ExpiresAt < ctx.Auth.Now)
        {
            await ctx.Store.DeleteVerificationAsync(row.Id);
            return Fail("EXPIRED_TOKEN");
        }
        // Only the request whose delete removed the row uses it: two clicks racing sign in once.
        if (await ctx.Store.DeleteVerificationAsync(row.Id) != 1) return Fail("INVALID_TOKEN");

        var user = await ctx.Store.FindUserByEmailAsync(link.Email);
        var signedIn = user;
        if (user is null)
        {
            if (options.DisableSignUp) return Fail("new_user_signup_disabled");
            user = signedIn = await CreateUserAsync(ctx, link.Email, link.Name);
            if (user is null) return Fail("failed_to_create_user");
        }
        else if (!user.EmailVerified)
        {
            signedIn = await EmailOwnership.AdoptAsync(ctx, user);
            if (signedIn is null) return Fail("user_not_found");
        }

        var session = await ctx.Store.CreateSessionAsync(signedIn!.Id);
        // As Better Auth's setSessionCookie: a browser that chose not to be remembered keeps a session-only cookie.
        SessionManager.SetSessionCookie(ctx, new SessionWithUser(session, signedIn));
        if (string.IsNullOrEmpty(rawCallback))
            // Better Auth answers with the user as read before it marked the email verified.
            return AuthResult.Json(new MagicLinkVerifyResponse(session.Token,
                new MagicLinkUser(user.Id, user.Email, user.EmailVerified, user.Name, user.Image, user.CreatedAt, user.UpdatedAt)));
        return AuthResult.Redirect(callback);
    }

    private static async Task<User?> CreateUserAsync(AuthContext ctx, string email, string? name)
    {
        var created = ctx.Store.NewUser(email, name ?? "");
        created.EmailVerified = true;
        try { return await ctx.Store.CreateUserAsync(created); }
        catch (UniqueViolationException)
        {
            // A concurrent request (another link for the same address) created the user first: sign in as that user.
            return await ctx.Store.FindUserByEmailAsync(email);
        }
    }
}
