using BetterAuth.Core.Events;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.MultiSession;

/// <summary>
/// The plugin's after-hooks: every answer that starts a session adds its device-session cookie (up to the maximum),
/// and sign-out signs out every account of the browser.
/// </summary>
internal sealed class DeviceSessionHooks(MultiSessionOptions options)
{
    /// <summary>
    /// After any endpoint that set a session cookie for a new (or newly active) session: a device-session cookie for it,
    /// with the session cookie's attributes, unless the browser has one already or holds the maximum. A sign-in a
    /// challenge stopped (two-factor) hands out no session, so it gets none.
    /// </summary>
    public ValueTask<AuthResult> AddDeviceCookieAsync(AuthContext ctx, AuthResult result)
    {
        if (ctx.NewSession is not { } created) return ValueTask.FromResult(result);
        var name = DeviceSessionCookies.Name(ctx, created.Session.Token);
        if (ctx.ResponseCookies.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal))) return ValueTask.FromResult(result);
        var held = DeviceSessionCookies.Names(ctx);
        if (held.Contains(name) || held.Count + 1 > options.MaximumSessions) return ValueTask.FromResult(result);
        var cookies = ctx.Auth.Cookies;
        ctx.SetSignedCookie(name, created.Session.Token, cookies.Defaults with { MaxAge = ctx.Auth.Options.Session.ExpiresIn });
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// After /sign-out: clears every device-session cookie and ends the sessions of those whose signature holds (Better
    /// Auth 1.2.12 ends whatever token a cookie names, signed or not; later Better Auth checks the signature too).
    /// </summary>
    public static async ValueTask<AuthResult> SignOutEverywhereAsync(AuthContext ctx, AuthResult result)
    {
        foreach (var name in DeviceSessionCookies.Names(ctx))
        {
            var token = ctx.GetSignedCookie(name);
            ctx.DeleteCookie(name);
            if (token is null) continue;
            var ending = await ctx.Store.FindSessionAsync(token);
            if (ending is null) continue;
            await ctx.Store.DeleteSessionAsync(token);
            ctx.Raise(new SignedOutEvent(ending.User, ending.Session));
        }
        return result;
    }
}
