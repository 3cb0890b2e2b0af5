using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using BetterAuth.Core.Cookies;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Sessions;

/// <summary>
/// Issuing, reading, extending and ending sessions, once for every sign-in path (email, username, phone, OTP,
/// social, anonymous...): Better Auth's createSession + setSessionCookie, and get-session's resolution rules.
/// </summary>
internal static class SessionManager
{
    /// <summary>
    /// The one way a primary sign-in method issues a session, once it has verified <paramref name="user"/>: the
    /// session-creating hooks accept the new session (a ban refuses it), then the plugins' <see cref="ISignInChallenge"/>s
    /// are asked in registration order. The first that answers stops the sign-in before anything is stored or any session
    /// cookie set; otherwise the session is stored and its cookies set.
    /// </summary>
    /// <param name="ctx">The request.</param>
    /// <param name="user">The user the method verified.</param>
    /// <param name="method">How the user proved who they are (<see cref="SignInMethods"/>, or the plugin's method name).</param>
    /// <param name="dontRemember">
    /// The client's <c>rememberMe: false</c> (a one-day session and a browser-session cookie); null when the method takes
    /// no such choice: the session is remembered and the cookie follows the browser's earlier choice (its
    /// <c>dont_remember</c> cookie), as Better Auth's setSessionCookie does.
    /// </param>
    /// <param name="providerId">The social provider, for <see cref="SignInMethods.Social"/>.</param>
    public static async Task<SignInOutcome> SignInAsync(AuthContext ctx, User user, string method, bool? dontRemember,
        string? providerId = null)
    {
        var pending = await ctx.Store.PrepareSessionAsync(user.Id, dontRemember == true);
        var challenges = ctx.Auth.Registry.SignInChallenges;
        if (challenges.Count > 0)
        {
            var forget = dontRemember ?? ctx.GetSignedCookie(ctx.Auth.Cookies.DontRemember) is not null;
            var attempt = new SignInAttempt(user, method, providerId, forget, pending);
            foreach (var challenge in challenges)
                if (await challenge.ChallengeAsync(ctx, attempt) is { } answer) return SignInOutcome.Challenged(answer);
        }
        var pair = new SessionWithUser(await ctx.Store.InsertSessionAsync(pending), user);
        SetSessionCookie(ctx, pair, dontRemember);
        return SignInOutcome.SignedIn(pair);
    }

    /// <summary>
    /// Issues a session without asking the sign-in challenges, for sessions that are no primary sign-in: a challenge
    /// just completed (the second factor), or the caller's own session re-issued (a password change revoking the others).
    /// </summary>
    public static async Task<SessionWithUser> IssueSessionAsync(AuthContext ctx, User user, bool dontRemember)
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

    /// <summary>Expires the session cookies (and <c>dont_remember</c> unless skipped); the answer then hands out no session.</summary>
    public static void DeleteSessionCookie(AuthContext ctx, bool skipDontRemember = false)
    {
        var cookies = ctx.Auth.Cookies;
        ctx.DeleteCookie(cookies.SessionToken);
        ctx.DeleteCookie(cookies.SessionData);
        if (!skipDontRemember) ctx.DeleteCookie(cookies.DontRemember);
        ctx.NewSession = null;
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

/// <summary>What <see cref="SessionManager.SignInAsync"/> came to: a session, or the answer of the challenge that stopped it.</summary>
internal sealed class SignInOutcome
{
    private SignInOutcome(SessionWithUser? session, AuthResult? challenge) => (Session, Challenge) = (session, challenge);

    /// <summary>The issued session (null when challenged).</summary>
    public SessionWithUser? Session { get; }
    /// <summary>The challenge's answer, to be sent instead of the method's own (null when signed in).</summary>
    public AuthResult? Challenge { get; }

    [MemberNotNullWhen(true, nameof(Challenge))]
    [MemberNotNullWhen(false, nameof(Session))]
    public bool IsChallenged => Challenge is not null;

    public static SignInOutcome SignedIn(SessionWithUser session) => new(session, null);
    public static SignInOutcome Challenged(AuthResult answer) => new(null, answer);
}
