using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.OneTimeToken;

/// <summary>
/// Trading the caller's session for a short-lived single-use token, and that token back for the session (handing a
/// signed-in state to another app or device). The row is Better Auth's: identifier <c>one-time-token:&lt;token&gt;</c>,
/// value the session token.
/// </summary>
internal sealed class OneTimeTokenEndpoints(OneTimeTokenOptions options)
{
    public const string Prefix = "one-time-token:";
    public const string ClientRequestsDisabled = "Client requests are disabled";
    public const string InvalidToken = "Invalid token";
    public const string TokenExpired = "Token expired";
    public const string SessionExpired = "Session expired";

    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/one-time-token/generate", Generate) with
        {
            Session = SessionRequirement.Required, OperationId = "generateOneTimeToken", Summary = "Generate a one-time token for the current session",
            Response = Returns("Success", Str("token").Required()),
        },
        AuthEndpoint.Post("/one-time-token/verify", Verify) with
        {
            OperationId = "verifyOneTimeToken", Summary = "Exchange a one-time token for its session",
            Body = [Str("token").Required()],
            Response = Returns("Success", Model("session", "Session").Required(), Model("user", "User").Required()),
        },
    ];

    /// <summary>GET /one-time-token/generate → <c>{token}</c>, valid for <see cref="OneTimeTokenOptions.ExpiresIn"/> minutes.</summary>
    private async ValueTask<AuthResult> Generate(AuthContext ctx)
    {
        if (options.DisableClientRequest && ctx.Http.Features.Get<ServerCallFeature>() is null)
            throw AuthError.BadRequest(ClientRequestsDisabled);
        var session = await ctx.RequireSessionAsync();
        var token = options.GenerateToken?.Invoke(session) ?? RandomStrings.From(RandomStrings.UrlSafe, 32);
        await ctx.Store.CreateVerificationAsync(Prefix + token, session.Session.Token, ctx.Auth.Now.AddMinutes(options.ExpiresIn));
        return AuthResult.Json(new OneTimeTokenResponse(token));
    }

    /// <summary>
    /// POST /one-time-token/verify {token} → the session and its user; single use. Unlike Better Auth 1.2.12, a session
    /// that has expired since is not handed out (400 "Session expired", as later Better Auth answers).
    /// </summary>
    private static async ValueTask<AuthResult> Verify(AuthContext ctx)
    {
        var body = ctx.ReadBody(OneTimeTokenJsonContext.Default.OneTimeTokenRequest);
        var row = await ctx.Store.FindVerificationAsync(Prefix + body.Token) ?? throw AuthError.BadRequest(InvalidToken);
        if (row.ExpiresAt < ctx.Auth.Now)
        {
            await ctx.Store.DeleteVerificationAsync(row.Id);
            throw AuthError.BadRequest(TokenExpired);
        }
        // Only the request whose delete removed the row gets the session: concurrent uses of one token succeed once.
        if (await ctx.Store.DeleteVerificationAsync(row.Id) != 1) throw AuthError.BadRequest(InvalidToken);
        var session = await ctx.Store.FindSessionAsync(row.Value) ?? throw AuthError.BadRequest(CoreErrors.SessionNotFound);
        if (session.Session.ExpiresAt < ctx.Auth.Now) throw AuthError.BadRequest(SessionExpired);
        return AuthResult.Json(new SessionResponse(session.Session, session.User));
    }
}
