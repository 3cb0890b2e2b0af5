using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.MultiSession;

/// <summary>Listing the accounts signed in on this browser, switching between them, and signing one of them out.</summary>
internal static class MultiSessionEndpoints
{
    public const string InvalidSessionToken = "Invalid session token";

    public static IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/multi-session/list-device-sessions", ListDeviceSessions) with
        {
            OperationId = "listDeviceSessions", Summary = "List the sessions of every account signed in on this device",
            Response = Returns("One session per account", ApiSchema.ArrayOf(ApiSchema.ObjectOf(Model("session", "Session").Required(), Model("user", "User").Required()))),
        },
        AuthEndpoint.Post("/multi-session/set-active", SetActive) with
        {
            Session = SessionRequirement.Required, OperationId = "setActiveSession", Summary = "Set the active session",
            Description = "Set the active session",
            Body = [Str("sessionToken", "The session token to set as active").Required()],
            Response = Returns("Success", Model("session", "Session").Required(), Model("user", "User").Required()),
        },
        AuthEndpoint.Post("/multi-session/revoke", Revoke) with
        {
            Session = SessionRequirement.Required, OperationId = "revokeDeviceSession", Summary = "Revoke a device session",
            Description = "Revoke a device session",
            Body = [Str("sessionToken", "The session token to revoke").Required()],
            Response = Returns("Success", Bool("status")),
        },
    ];

    /// <summary>
    /// GET /multi-session/list-device-sessions: the live sessions the request's device-session cookies name, one per
    /// user, ordered by token as Better Auth's query returns them on SQLite (a token-indexed lookup).
    /// </summary>
    private static async ValueTask<AuthResult> ListDeviceSessions(AuthContext ctx)
    {
        var live = await LiveSessionsAsync(ctx, DeviceSessionCookies.VerifiedTokens(ctx));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = live.Where(s => seen.Add(s.User.Id)).Select(s => new SessionResponse(s.Session, s.User)).ToList();
        return AuthResult.Json(list);
    }

    /// <summary>POST /multi-session/set-active {sessionToken}: makes a session this browser holds a device cookie for the active one.</summary>
    private static async ValueTask<AuthResult> SetActive(AuthContext ctx)
    {
        var body = ctx.ReadBody(MultiSessionJsonContext.Default.SessionTokenRequest);
        if (!DeviceSessionCookies.Holds(ctx, body.SessionToken)) throw AuthError.Unauthorized(InvalidSessionToken);
        var session = await ctx.Store.FindSessionAsync(body.SessionToken);
        if (session is null || session.Session.ExpiresAt < ctx.Auth.Now) throw AuthError.Unauthorized(InvalidSessionToken);
        SessionManager.SetSessionCookie(ctx, session);
        return AuthResult.Json(new SessionResponse(session.Session, session.User));
    }

    /// <summary>
    /// POST /multi-session/revoke {sessionToken}: ends a session this browser holds a device cookie for. When it was the
    /// active one, the browser switches to another of its live sessions, or is signed out when none is left.
    /// </summary>
    private static async ValueTask<AuthResult> Revoke(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var body = ctx.ReadBody(MultiSessionJsonContext.Default.SessionTokenRequest);
        if (!DeviceSessionCookies.Holds(ctx, body.SessionToken)) throw AuthError.Unauthorized(InvalidSessionToken);

        var revoked = await ctx.Store.FindSessionAsync(body.SessionToken);
        await ctx.Store.DeleteSessionAsync(body.SessionToken);
        if (revoked is not null) ctx.Raise(new SessionRevokedEvent(revoked.User.Id, SessionRevocationScope.Single, revoked.Session));
        ctx.DeleteCookie(DeviceSessionCookies.Name(ctx, body.SessionToken));
        if (current.Session.Token != body.SessionToken) return AuthResult.Json(StatusResponse.True);

        var next = (await LiveSessionsAsync(ctx, DeviceSessionCookies.VerifiedTokens(ctx))).FirstOrDefault();
        if (next is not null) SessionManager.SetSessionCookie(ctx, next);
        else SessionManager.DeleteSessionCookie(ctx);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>The sessions behind <paramref name="tokens"/> that exist and have not expired, in token order.</summary>
    private static async Task<List<SessionWithUser>> LiveSessionsAsync(AuthContext ctx, List<string> tokens)
    {
        var live = new List<SessionWithUser>();
        foreach (var token in tokens.Order(StringComparer.Ordinal))
            if (await ctx.Store.FindSessionAsync(token) is { } s && s.Session.ExpiresAt > ctx.Auth.Now) live.Add(s);
        return live;
    }
}
