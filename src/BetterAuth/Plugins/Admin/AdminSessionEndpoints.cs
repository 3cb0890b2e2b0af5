using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// The admin endpoints over sessions: list and revoke a user's sessions, impersonate a user and stop impersonating.
/// </summary>
internal sealed class AdminSessionEndpoints(AdminOptions options, AdminAccess access)
{
    /// <summary>The cookie holding the admin's own session while they impersonate someone.</summary>
    public const string AdminSessionCookie = "admin_session";

    // Better Auth names this operation listUserSessions, like core's /list-sessions; endpoint names must be unique here.
    public IEnumerable<AuthEndpoint> All() =>
    [
        AuthEndpoint.Post("/admin/list-user-sessions", ListUserSessions) with
        {
            OperationId = "adminListUserSessions", Summary = "List user sessions",
            Body = [Str("userId", "The user id").Required()],
            Response = Returns("List of user sessions", Models("sessions", "Session").Required()),
        },
        AuthEndpoint.Post("/admin/revoke-user-session", RevokeUserSession) with
        {
            OperationId = "revokeUserSession", Summary = "Revoke a user session",
            Body = [Str("sessionToken", "The session token").Required()],
            Response = Returns("Session revoked", Bool("success")),
        },
        AuthEndpoint.Post("/admin/revoke-user-sessions", RevokeUserSessions) with
        {
            OperationId = "revokeUserSessions", Summary = "Revoke all user sessions",
            Body = [Str("userId", "The user id").Required()],
            Response = Returns("Sessions revoked", Bool("success")),
        },
        AuthEndpoint.Post("/admin/impersonate-user", ImpersonateUser) with
        {
            OperationId = "impersonateUser", Summary = "Impersonate a user",
            Body = [Str("userId", "The user id").Required()],
            Response = Returns("Impersonation session created", Model("session", "Session"), Model("user", "User")),
        },
        AuthEndpoint.Post("/admin/stop-impersonating", StopImpersonating) with
        {
            OperationId = "stopImpersonating", Summary = "Stop impersonating a user",
            Response = Returns("The admin's own session again", Model("session", "Session").Required(), Model("user", "User").Required()),
        },
    ];

    /// <summary>POST /admin/list-user-sessions {userId} → {sessions}: every session row of the user, as Better Auth lists them.</summary>
    private async ValueTask<AuthResult> ListUserSessions(AuthContext ctx)
    {
        var userId = AdminBody.CoercedString(ctx.BodyObject(), "userId");
        await AdminGuard.RequireAsync(ctx, access, "session", "list", AdminErrors.NotAllowedToListSessions);
        return AuthResult.Json(new AdminUserSessionsResponse(await ctx.Store.ListSessionsAsync(userId)));
    }

    /// <summary>POST /admin/revoke-user-session {sessionToken} → {success:true}, whether or not the token existed.</summary>
    private async ValueTask<AuthResult> RevokeUserSession(AuthContext ctx)
    {
        var token = AdminBody.RequiredString(ctx.BodyObject(), "sessionToken");
        await AdminGuard.RequireAsync(ctx, access, "session", "revoke", AdminErrors.NotAllowedToRevokeSessions);
        await ctx.Store.DeleteSessionAsync(token);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>POST /admin/revoke-user-sessions {userId} → {success:true}.</summary>
    private async ValueTask<AuthResult> RevokeUserSessions(AuthContext ctx)
    {
        var userId = AdminBody.CoercedString(ctx.BodyObject(), "userId");
        await AdminGuard.RequireAsync(ctx, access, "session", "revoke", AdminErrors.NotAllowedToRevokeSessions);
        await ctx.Store.DeleteSessionsAsync(userId);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>
    /// POST /admin/impersonate-user {userId} → {session, user}: a session for the target marked impersonatedBy the
    /// admin, lasting impersonationSessionDuration and set like rememberMe=false; the admin's own token (and their
    /// dont_remember flag) is kept in the signed admin_session cookie for stop-impersonating.
    /// </summary>
    private async ValueTask<AuthResult> ImpersonateUser(AuthContext ctx)
    {
        var userId = AdminBody.CoercedString(ctx.BodyObject(), "userId");
        var admin = await AdminGuard.RequireAsync(ctx, access, "user", "impersonate", AdminErrors.NotAllowedToImpersonate);
        var target = await ctx.Store.FindUserByIdAsync(userId) ?? throw AuthError.NotFound(CoreErrors.UserNotFound);
        if (access.IsAdmin(target) && !options.AllowImpersonatingAdmins &&
            !access.HasPermission(admin.User.Id, admin.User.Get<string>(AdminFields.Role), [new("user", ["impersonate-admins"])]))
            throw AuthError.Forbidden(AdminErrors.CannotImpersonateAdmins);

        var expiresAt = ctx.Auth.Now.AddSeconds(options.ImpersonationSessionDuration);
        var session = await ctx.Store.CreateSessionAsync(target.Id, dontRemember: true, s =>
        {
            s[AdminFields.ImpersonatedBy] = admin.User.Id;
            s.ExpiresAt = expiresAt;
        });

        var cookies = ctx.Auth.Cookies;
        var adminDontRemember = ctx.GetSignedCookie(cookies.DontRemember);
        SessionManager.DeleteSessionCookie(ctx);
        ctx.SetSignedCookie(cookies.Name(AdminSessionCookie), $"{admin.Session.Token}:{adminDontRemember ?? ""}",
            cookies.Defaults with { MaxAge = ctx.Auth.Options.Session.ExpiresIn });
        var pair = new SessionWithUser(session, target);
        SessionManager.SetSessionCookie(ctx, pair, dontRemember: true);
        Core.Telemetry.SecurityLog.ImpersonationStarted(ctx.Auth.SecurityLogger, admin.User.Id, target.Id, session.Id, ctx.ClientIp);
        return AuthResult.Json(new SessionResponse(session, target));
    }

    /// <summary>
    /// POST /admin/stop-impersonating → the admin's {session, user}: ends the impersonation session and restores
    /// the admin session named by the admin_session cookie, which must belong to the impersonating admin.
    /// </summary>
    private static async ValueTask<AuthResult> StopImpersonating(AuthContext ctx)
    {
        var current = await ctx.RequireSessionAsync();
        var adminId = current.Session.Get<string>(AdminFields.ImpersonatedBy);
        if (string.IsNullOrEmpty(adminId)) throw AuthError.BadRequest(AdminErrors.NotImpersonating);
        // Better Auth answers the next three failures with 500s; they are the client's state, so 400 here.
        if (await ctx.Store.FindUserByIdAsync(adminId) is null) throw AuthError.BadRequest(AdminErrors.FailedToFindUser);
        var cookie = ctx.GetSignedCookie(ctx.Auth.Cookies.Name(AdminSessionCookie))
                     ?? throw AuthError.BadRequest(AdminErrors.FailedToFindAdminSession);
        var parts = cookie.Split(':');
        var adminSession = await ctx.Store.FindSessionAsync(parts[0]);
        if (adminSession is null || adminSession.Session.UserId != adminId || adminSession.Session.ExpiresAt < ctx.Auth.Now)
            throw AuthError.BadRequest(AdminErrors.FailedToFindAdminSession);

        await ctx.Store.DeleteSessionAsync(current.Session.Token);
        Core.Telemetry.SecurityLog.ImpersonationStopped(ctx.Auth.SecurityLogger, adminId, current.User.Id, ctx.ClientIp);
        var dontRemember = parts.Length > 1 && parts[1].Length > 0;
        SessionManager.SetSessionCookie(ctx, adminSession, dontRemember);
        return AuthResult.Json(new SessionResponse(adminSession.Session, adminSession.User));
    }
}
