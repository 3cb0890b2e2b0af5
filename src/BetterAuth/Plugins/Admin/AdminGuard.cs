using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>The admin endpoints' gate: a session (else 401 with an empty body), then one permission (else 403 with the endpoint's message).</summary>
internal static class AdminGuard
{
    public static async ValueTask<SessionWithUser> RequireAsync(AuthContext ctx, AdminAccess access, string resource, string action, string refusal)
    {
        var session = await ctx.RequireSessionAsync();
        if (!access.Can(session.User, resource, action)) throw AuthError.Forbidden(refusal);
        return session;
    }
}
