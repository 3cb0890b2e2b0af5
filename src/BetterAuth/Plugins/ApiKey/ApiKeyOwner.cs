using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Whose keys a create or update acts on, and whether the caller may set the server-only fields (<c>remaining</c>,
/// refill, rate limits, permissions). A request carrying a session acts on that session's user only, and may not set
/// them: a <c>userId</c> in the body is refused (Better Auth 1.2.12 lets anyone name any user there, with or without a
/// session, which also unlocks the server-only fields; later versions refuse it), and so is a session that stands for
/// an API key, so a key cannot mint or widen keys beyond its own limits. Only a server call (<c>BetterAuthApi</c>) that
/// carries no session may name a user — who must exist — and set the server-only fields, as Better Auth's
/// <c>auth.api</c> called without headers may.
/// </summary>
internal static class ApiKeyOwner
{
    public static async Task<(string UserId, bool Trusted)> ResolveAsync(AuthContext ctx, ApiKeyInput input)
    {
        var session = await ctx.GetSessionAsync();
        if (!ctx.IsServerCall || session is not null)
        {
            if (input.Has("userId") || session is null || ctx.CredentialSession is not null) throw Unauthorized();
            return (session.User.Id, false);
        }
        var userId = input.String("userId") ?? throw Unauthorized();
        return await ctx.Store.FindUserByIdAsync(userId) is not null ? (userId, true) : throw AuthError.NotFound(ApiKeyErrors.UserNotFound);
    }

    private static AuthError Unauthorized() => AuthError.Unauthorized(ApiKeyErrors.UnauthorizedSession);
}
