using BetterAuth.Core.Http;
using BetterAuth.Core.Sessions;

namespace BetterAuth.Plugins.Anonymous;

/// <summary>
/// After a sign-in or sign-up that started a new session from an anonymous user's browser: tell the app
/// (onLinkAccount) and delete the anonymous user with its sessions and accounts, as Better Auth's after-hook does.
/// </summary>
internal sealed class AnonymousLinking(AnonymousOptions options)
{
    private static readonly string[] PathPrefixes =
    [
        "/sign-in", "/sign-up", "/callback", "/oauth2/callback", "/magic-link/verify", "/email-otp/verify-email", "/phone-number/verify",
    ];

    // /sign-in/anonymous refuses an anonymous caller itself, before creating anything.
    public static bool Matches(AuthContext ctx) =>
        ctx.Path != SignInAnonymousEndpoint.Path && PathPrefixes.Any(p => ctx.Path.StartsWith(p, StringComparison.Ordinal));

    public async ValueTask<AuthResult> RunAsync(AuthContext ctx, AuthResult result)
    {
        if (ctx.NewSession is not { } created || !SessionManager.SetsLiveSessionCookie(ctx)) return result;

        // The session the request came with (its cookie or bearer token), read without refreshing or re-setting
        // it, so the new session cookie stays the only one this response sets.
        var previous = await SessionManager.PeekAsync(ctx);
        if (previous is null || !AnonymousPlugin.IsAnonymous(previous.User)) return result;
        // A flow that re-issued the anonymous user's own session is not a link; deleting would sign them out for good.
        if (previous.User.Id == created.User.Id) return result;

        if (options.OnLinkAccount is { } onLink) await onLink(new AnonymousLink(previous, created, ctx));
        if (!options.DisableDeleteAnonymousUser) await ctx.Store.DeleteUserAsync(previous.User);
        return result;
    }
}
