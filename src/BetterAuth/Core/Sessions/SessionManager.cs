using System.Text;
using System.Buffers.Text;
using System.Text.Json;
using BetterAuth.Core.Cookies;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Sessions;

/// <summary>
/// Issuing, reading, extending and ending sessions, once for every sign-in path (email, username, phone, OTP,
/// social, anonymous...): Better Auth's createSession + setSessionCookie, and get-session's resolution rules.
/// </summary>
internal static class SessionManager
{
    /// <summary>Creates a session for <paramref name="user"/>, sets its cookies and records it as the request's new session.</summary>
    public static async Task<SessionWithUser> SignInAsync(AuthContext ctx, User user, bool dontRemember = false)
    {
        var session = await ctx.Store.CreateSessionAsync(user.Id, dontRemember);
        var pair = new SessionWithUser(session, user);
        SetSessionCookie(ctx, pair, dontRemember);
        return pair;
    }

    /// <summary>
    /// Sets the signed session_token cookie (no Max-Age when the user is not remembered, plus the signed
    /// dont_remember cookie), the cookie cache if enabled, and the bearer <c>set-auth-token</c> header.
    /// </summary>
    public static void SetSessionCookie(AuthContext ctx, SessionWithUser pair, bool? dontRemember = null, int? maxAge = null)
    {
        // A session standing for another credential (an API key) has no row; a cookie would carry a dead token.
        if (ReferenceEquals(pair.Session, ctx.CredentialSession)) return;
        var cookies = ctx.Auth.Cookies;
        var forget = dontRemember ?? ctx.GetSignedCookie(cookies.DontRemember) is not null;
        var signed = AuthCookies.SignValue(ctx.Auth.Signer, pair.Session.Token);
        ctx.SetCookie(cookies.SessionToken, signed,
            cookies.Defaults with { MaxAge = forget ? null : maxAge ?? ctx.Auth.Options.Session.ExpiresIn });
        if (forget) ctx.SetSignedCookie(cookies.DontRemember, "true", cookies.Defaults);
        SetCookieCache(ctx, pair);
        ctx.NewSession = pair;
        if (ctx.Auth.Options.Session.Bearer.Enabled)
        {
            ctx.ResponseHeaders["set-auth-token"] = signed;
            ctx.ResponseHeaders["Access-Control-Expose-Headers"] = "set-auth-token";
        }
    }

    public static void DeleteSessionCookie(AuthContext ctx, bool skipDontRemember = false)
    {
        var cookies = ctx.Auth.Cookies;
        ctx.DeleteCookie(cookies.SessionToken);
        ctx.DeleteCookie(cookies.SessionData);
        if (!skipDontRemember) ctx.DeleteCookie(cookies.DontRemember);
    }

    /// <summary>
    /// True when the last session_token cookie this answer sets has a value: for after-hooks that act on a new session,
    /// since one that ran earlier (two-factor's) may have withdrawn it and cleared the cookie.
    /// </summary>
    public static bool SetsLiveSessionCookie(AuthContext ctx)
    {
        var prefix = ctx.Auth.Cookies.SessionToken + "=";
        for (var i = ctx.ResponseCookies.Count - 1; i >= 0; i--)
        {
            var cookie = ctx.ResponseCookies[i];
            if (!cookie.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var end = cookie.IndexOf(';');
            return (end < 0 ? cookie.Length : end) > prefix.Length;
        }
        return false;
    }

    /// <summary>
    /// get-session's rules (api/routes/session.ts): cookie or bearer token → cookie cache (only when
    /// <paramref name="useCookieCache"/>: get-session itself) → row → expiry → refresh.
    /// </summary>
    internal static async ValueTask<SessionWithUser?> ResolveAsync(AuthContext ctx, bool useCookieCache, bool disableRefresh)
    {
        var auth = ctx.Auth;
        var token = ctx.GetSignedCookie(auth.Cookies.SessionToken) ?? BearerToken(ctx);
        if (token is null) return null;

        var cacheOptions = auth.Options.Session.CookieCache;
        var cacheCookie = ctx.GetCookie(auth.Cookies.SessionData);
        if (cacheCookie is not null)
        {
            var cached = CookieCache.Read(auth, cacheCookie, out var signatureValid);
            if (!signatureValid)
            {
                ctx.SetCookie(auth.Cookies.SessionData, "", new CookieAttributes { MaxAge = 0, Path = null, HttpOnly = false, SameSite = null });
                return null;
            }
            if (cached is not null && cacheOptions.Enabled && useCookieCache)
            {
                if (cached.Value.ExpiresAtMs >= JsDate.ToUnixMs(auth.Now) && cached.Value.Session.Session.ExpiresAt >= auth.Now)
                    return cached.Value.Session;
                ctx.SetCookie(auth.Cookies.SessionData, "", new CookieAttributes { MaxAge = 0, Path = null, HttpOnly = false, SameSite = null });
            }
        }

        var found = await ctx.Store.FindSessionAsync(token);
        var now = auth.Now;
        if (found is null || found.Session.ExpiresAt < now)
        {
            DeleteSessionCookie(ctx);
            if (found is not null) await ctx.Store.DeleteSessionAsync(found.Session.Token, expired: true);
            return null;
        }

        var dontRemember = ctx.GetSignedCookie(auth.Cookies.DontRemember) is not null;
        if (dontRemember || disableRefresh) return found;

        var options = auth.Options.Session;
        var dueAt = found.Session.ExpiresAt.AddSeconds(-options.ExpiresIn).AddSeconds(options.UpdateAge);
        // A capped session (not remembered, impersonation) is not extended past its cap, whoever asks and however:
        // a bearer token or a cookie without the dont_remember marker gets the same answer.
        var expiresAt = SessionExpiryCap.Clamp(found.Session, now.AddSeconds(options.ExpiresIn));
        if (dueAt <= now && !options.DisableSessionRefresh && expiresAt > found.Session.ExpiresAt)
        {
            if (!await ctx.Store.ExtendSessionAsync(found.Session, expiresAt, now))
            {
                DeleteSessionCookie(ctx);
                return null;
            }
            SetSessionCookie(ctx, found, dontRemember: false, maxAge: (int)(found.Session.ExpiresAt - now).TotalSeconds);
            return found;
        }
        SetCookieCache(ctx, found);
        return found;
    }

    /// <summary>
    /// The live session the request carries (cookie or bearer token), read from the database with no side effect:
    /// nothing is refreshed, cached on the context, deleted or written to the response. For hooks that must know
    /// who made the request without disturbing the cookies the endpoint sets (e.g. when a sign-in replaces a session).
    /// </summary>
    public static async ValueTask<SessionWithUser?> PeekAsync(AuthContext ctx)
    {
        var token = ctx.GetSignedCookie(ctx.Auth.Cookies.SessionToken) ?? BearerToken(ctx);
        if (token is null) return null;
        var found = await ctx.Store.FindSessionAsync(token);
        return found is null || found.Session.ExpiresAt < ctx.Auth.Now ? null : found;
    }

    /// <summary>The session token carried as <c>Authorization: Bearer</c>, signed (verified here) or bare.</summary>
    private static string? BearerToken(AuthContext ctx)
    {
        var bearer = ctx.Auth.Options.Session.Bearer;
        if (!bearer.Enabled) return null;
        var header = ctx.Http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[7..].Trim();
        if (token.Length == 0) return null;
        if (token.Contains('%'))
        {
            try { token = Uri.UnescapeDataString(token); } catch (UriFormatException) { return null; }
        }
        if (token.Contains('.')) return AuthCookies.VerifySignedValue(ctx.Auth.Signer, token);
        return bearer.RequireSignature ? null : token;
    }

    private static void SetCookieCache(AuthContext ctx, SessionWithUser pair)
    {
        var options = ctx.Auth.Options.Session.CookieCache;
        if (!options.Enabled) return;
        var value = CookieCache.Write(ctx.Auth, pair, JsDate.ToUnixMs(ctx.Auth.Now) + options.MaxAge * 1000L);
        if (value.Length > 4093)
        {
            Telemetry.CoreLog.CookieCacheTooLarge(ctx.Auth.Logger);
            return;
        }
        ctx.SetCookie(ctx.Auth.Cookies.SessionData, value, ctx.Auth.Cookies.Defaults with { MaxAge = options.MaxAge });
    }
}
