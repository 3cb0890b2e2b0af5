using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.MultiSession;

/// <summary>
/// The device-session cookies: one per account signed in on this browser, named
/// <c>&lt;session cookie name&gt;_multi-&lt;token in lower case&gt;</c> and holding the session token signed as the session cookie
/// is (Better Auth's names and format, so a browser keeps working across both servers).
/// </summary>
internal static class DeviceSessionCookies
{
    public static string Prefix(AuthContext ctx) => ctx.Auth.Cookies.SessionToken + "_multi-";

    public static string Name(AuthContext ctx, string sessionToken) => Prefix(ctx) + sessionToken.ToLowerInvariant();

    /// <summary>The names of the device-session cookies the request carries, each once, in the order sent.</summary>
    public static List<string> Names(AuthContext ctx)
    {
        var prefix = Prefix(ctx);
        var names = new List<string>();
        foreach (var part in ctx.Http.Request.Headers.Cookie.ToString().Split(';'))
        {
            var pair = part.AsSpan().Trim();
            var eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            var name = pair[..eq].Trim().ToString();
            if (name.StartsWith(prefix, StringComparison.Ordinal) && !names.Contains(name)) names.Add(name);
        }
        return names;
    }

    /// <summary>
    /// The session tokens of the request's device-session cookies whose signature holds, each once. A cookie that is
    /// unsigned or signed with another secret is skipped (Better Auth 1.2.12 answers 500 to a wrong signature).
    /// </summary>
    public static List<string> VerifiedTokens(AuthContext ctx)
    {
        var tokens = new List<string>();
        foreach (var name in Names(ctx))
            if (ctx.GetSignedCookie(name) is { } token && !tokens.Contains(token)) tokens.Add(token);
        return tokens;
    }

    /// <summary>Whether the request carries the device-session cookie for <paramref name="sessionToken"/>, validly signed and holding that token.</summary>
    public static bool Holds(AuthContext ctx, string sessionToken) =>
        string.Equals(ctx.GetSignedCookie(Name(ctx, sessionToken)), sessionToken, StringComparison.Ordinal);
}
