using BetterAuth.Core.Cookies;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using Microsoft.Extensions.Logging;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class SessionEndpoints
{
    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Get("/get-session", GetSession) with
        {
            OperationId = "getSession", Summary = "Get the current session",
            Query = [Bool("disableCookieCache", "Disable cookie cache and fetch session from database"),
                Bool("disableRefresh", "Do not extend the session's expiry on this call")],
            Response = Returns("The session and its user, or null without a session",
                ApiSchema.ObjectOf(Model("session", "Session").Required(), Model("user", "User").Required()).OrNull()),
        },
        AuthEndpoint.Post("/sign-out", SignOut) with
        {
            OperationId = "signOut", Summary = "Sign out the current user",
            Response = Returns("Success", Bool("success")),
        },
        AuthEndpoint.Get("/list-sessions", ListSessions) with
        {
            Session = SessionRequirement.Required, OperationId = "listUserSessions", Summary = "List all active sessions for the user",
            Response = Returns("Success", ApiSchema.ArrayOf(ApiSchema.Ref("Session"))),
        },
        AuthEndpoint.Post("/revoke-session", RevokeSession) with
        {
            Session = SessionRequirement.Required, OperationId = "revokeSession", Summary = "Revoke a single session",
            Body = [Str("token", "The token to revoke").Required()],
            Response = Returns("Success", Bool("status", "Indicates if the session was revoked successfully").Required()),
        },
        AuthEndpoint.Post("/revoke-sessions", RevokeSessions) with
        {
            Session = SessionRequirement.Required, OperationId = "revokeSessions", Summary = "Revoke all sessions for the user",
            Response = Returns("Success", Bool("status", "Indicates if all sessions were revoked successfully").Required()),
        },
        AuthEndpoint.Post("/revoke-other-sessions", RevokeOtherSessions) with
        {
            Session = SessionRequirement.Required, OperationId = "revokeOtherSessions", Summary = "Revoke all other sessions for the user except the current one",
            Response = Returns("Success", Bool("status", "Indicates if all other sessions were revoked successfully").Required()),
        },
    ];

    /// <summary>GET /get-session: <c>{session,user}</c>, or 200 <c>null</c> without a live session.</summary>
    private static async ValueTask<AuthResult> GetSession(AuthContext ctx)
    {
        try
        {
            var session = await ctx.GetSessionForDisplayAsync(ctx.QueryFlag("disableCookieCache"), ctx.QueryFlag("disableRefresh"));
            return session is null ? AuthResult.Null : AuthResult.Json(new SessionResponse(session.Session, session.User));
        }
        catch (Exception e) when (e is not AuthError and not OperationCanceledException)
        {
            Core.Telemetry.CoreLog.GetSessionFailed(ctx.Auth.Logger, e);
            throw new AuthError(500, CoreErrors.FailedToGetSession);
        }
    }

    /// <summary>POST /sign-out: deletes the session row and clears the cookies; 400 without a signed session token.</summary>
    private static async ValueTask<AuthResult> SignOut(AuthContext ctx)
    {
        var token = ctx.GetSignedCookie(ctx.Auth.Cookies.SessionToken) ?? (await ctx.GetSessionAsync(disableRefresh: true))?.Session.Token;
        if (token is null) throw AuthError.BadRequest(CoreErrors.FailedToGetSession);
        var ending = await ctx.Store.FindSessionAsync(token);
        await ctx.Store.DeleteSessionAsync(token);
        if (ending is not null) ctx.Raise(new SignedOutEvent(ending.User, ending.Session));
        ctx.ResponseCookies.Clear();
        SessionManager.DeleteSessionCookie(ctx);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>GET /list-sessions: the user's sessions that have not expired, tokens included (as Better Auth).</summary>
    private static async ValueTask<AuthResult> ListSessions(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var now = ctx.Auth.Now;
        var sessions = (await ctx.Store.ListSessionsAsync(current.User.Id)).Where(s => s.ExpiresAt > now).ToList();
        return AuthResult.Json(sessions);
    }

    private static async ValueTask<AuthResult> RevokeSession(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var body = ctx.ReadBody(CoreJsonContext.Default.RevokeSessionRequest);
        var target = await ctx.Store.FindSessionAsync(body.Token);
        if (target is null) throw AuthError.BadRequest(CoreErrors.SessionNotFound);
        if (target.Session.UserId != current.User.Id) throw new AuthError(401);
        await ctx.Store.DeleteSessionAsync(body.Token);
        ctx.Raise(new SessionRevokedEvent(current.User.Id, SessionRevocationScope.Single, target.Session));
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>POST /revoke-sessions: every session of the user, the current one included (its cookie is left, as in Better Auth).</summary>
    private static async ValueTask<AuthResult> RevokeSessions(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        await ctx.Store.DeleteSessionsAsync(current.User.Id);
        ctx.Raise(new SessionRevokedEvent(current.User.Id, SessionRevocationScope.All, null));
        return AuthResult.Json(StatusResponse.True);
    }

    private static async ValueTask<AuthResult> RevokeOtherSessions(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        await ctx.Store.DeleteOtherSessionsAsync(current.User.Id, current.Session.Token, ctx.Auth.Now);
        ctx.Raise(new SessionRevokedEvent(current.User.Id, SessionRevocationScope.Others, null));
        return AuthResult.Json(StatusResponse.True);
    }
}
