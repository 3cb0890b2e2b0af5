using BetterAuth.Core.Cookies;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Who is proving a second factor (verify-two-factor.ts): the signed-in user while enrolling, or — between password and
/// code — the user named by the <c>two_factor</c> cookie's verification row. <see cref="Key"/> names their OTP row.
/// </summary>
internal sealed record TwoFactorAttempt(User User, SessionWithUser? Session, string Key, bool DontRemember);

/// <summary>
/// The sign-in challenge: stopping password sign-ins of enrolled users before a session is issued, the trust-device
/// cookie, and completing the sign-in once a factor is verified. Shared by the TOTP, OTP and backup-code endpoints.
/// </summary>
internal sealed class TwoFactorChallenge(TwoFactorOptions options) : ISignInChallenge
{
    public const string TwoFactorCookie = "two_factor";
    public const string TrustDeviceCookie = "trust_device";
    public const int TrustDeviceMaxAge = 30 * 24 * 60 * 60;
    public const string EnabledField = "twoFactorEnabled";
    /// <summary>The mark of every verification row of the plugin: challenges, mailed codes and used TOTP steps.</summary>
    public const string VerificationPrefix = "2fa-";

    /// <summary>
    /// The sign-in methods Better Auth challenges: the password sign-ins by email, username (its plugin) and phone number
    /// (its plugin). A passkey, a mailed link or code, a social provider or an anonymous sign-in is not challenged.
    /// </summary>
    public static bool IsChallengedMethod(string method) =>
        method is SignInMethods.Email or "username" or "phone-number";

    public static bool IsEnabled(User user) => user[EnabledField] is true;

    public static Task<TwoFactorRow?> FindRowAsync(AuthContext ctx, string userId) =>
        ctx.Db.Set<TwoFactorRow>().AsNoTracking().FirstOrDefaultAsync(t => t.UserId == userId);

    /// <summary>
    /// For an enrolled user signing in with a password and without a valid trust-device cookie, no session is issued: a
    /// short-lived challenge is stored instead (a <c>2fa-…</c> verification row named by the signed <c>two_factor</c>
    /// cookie) and the answer is <c>{"twoFactorRedirect":true}</c>. As Better Auth's answer does, it clears the browser's
    /// session cookies, and keeps (or sets) <c>dont_remember</c> so the second factor issues a session that is not remembered.
    /// </summary>
    public async ValueTask<AuthResult?> ChallengeAsync(AuthContext ctx, SignInAttempt attempt)
    {
        if (!IsChallengedMethod(attempt.Method) || !IsEnabled(attempt.User)) return null;
        if (TryRenewTrust(ctx, attempt.User, attempt.PendingSession.Token)) return null;

        var cookies = ctx.Auth.Cookies;
        if (attempt.DontRemember) ctx.SetSignedCookie(cookies.DontRemember, "true", cookies.Defaults);
        SessionManager.DeleteSessionCookie(ctx, skipDontRemember: true);
        ctx.Outcome.SignInResult = Core.Telemetry.AuthTelemetry.TwoFactorRequired;

        var identifier = VerificationPrefix + RandomStrings.From(RandomStrings.UrlSafe, 20);
        var maxAge = options.TwoFactorCookieMaxAge;
        await ctx.Store.CreateVerificationAsync(identifier, attempt.User.Id, ctx.Auth.Now.AddSeconds(maxAge));
        ctx.SetSignedCookie(cookies.Name(TwoFactorCookie), identifier, cookies.Defaults with { MaxAge = maxAge });
        return AuthResult.Json(TwoFactorRedirectResponse.True);
    }

    /// <summary>
    /// A trust-device cookie <c>&lt;HMAC(secret, "userId!token")&gt;!&lt;token&gt;</c> for this user skips the challenge.
    /// As Better Auth 1.2.12 does, it is then re-issued signing the <em>old</em> token beside the new session's token,
    /// without Max-Age (so a trusted device skips the challenge once per trust, and the cookie then lasts for the browser session).
    /// </summary>
    private static bool TryRenewTrust(AuthContext ctx, User user, string newSessionToken)
    {
        var cookies = ctx.Auth.Cookies;
        var value = ctx.GetSignedCookie(cookies.Name(TrustDeviceCookie));
        if (value is null) return false;
        var parts = value.Split('!');
        if (parts.Length < 2) return false;
        // Made with any configured secret; re-issued with the current one.
        if (!ctx.Auth.Signer.VerifyBase64Url($"{user.Id}!{parts[1]}", parts[0])) return false;
        var renewed = ctx.Auth.Signer.SignBase64Url($"{user.Id}!{parts[1]}");
        SetTrustCookie(ctx, $"{renewed}!{newSessionToken}", cookies.Defaults);
        return true;
    }

    /// <summary>
    /// Sets the signed trust-device cookie encoded with JavaScript's <c>encodeURIComponent</c>, which keeps its <c>!</c>
    /// (core's signed cookies escape it to <c>%21</c>; both read back the same, but the header then differs from Better Auth's).
    /// </summary>
    private static void SetTrustCookie(AuthContext ctx, string value, CookieAttributes attributes) =>
        ctx.SetCookie(ctx.Auth.Cookies.Name(TrustDeviceCookie),
            JsEncoding.EncodeUriComponent(value + "." + ctx.Auth.Signer.SignBase64(value)), attributes);

    /// <summary>
    /// The user proving a factor: the current session's, or the one the <c>two_factor</c> cookie names. Anything
    /// missing, unknown or expired is 401 "Invalid two factor cookie".
    /// </summary>
    public static async Task<TwoFactorAttempt> ResolveAsync(AuthContext ctx)
    {
        var session = await ctx.GetSessionAsync();
        if (session is not null)
            return new TwoFactorAttempt(session.User, session, $"{session.User.Id}!{session.Session.Id}", false);

        // Without a session this is the second step of a sign-in: its outcome counts as a two-factor sign-in attempt.
        ctx.Outcome.SignInMethod = "two_factor";
        var cookies = ctx.Auth.Cookies;
        var identifier = ctx.GetSignedCookie(cookies.Name(TwoFactorCookie)) ?? throw InvalidCookie();
        var row = await ctx.Store.FindVerificationAsync(identifier);
        if (row is null || row.ExpiresAt < ctx.Auth.Now) throw InvalidCookie();
        var user = await ctx.Store.FindUserByIdAsync(row.Value) ?? throw InvalidCookie();
        var dontRemember = ctx.GetSignedCookie(cookies.DontRemember) is not null;
        return new TwoFactorAttempt(user, null, identifier, dontRemember);
    }

    /// <summary>
    /// A wrong factor. With a session Better Auth answers "Invalid two factor cookie" whatever the cause; without one,
    /// the given message. Both are 401.
    /// </summary>
    public static AuthError Invalid(TwoFactorAttempt attempt, string message) =>
        attempt.Session is null ? AuthError.Unauthorized(message) : InvalidCookie();

    public static AuthError InvalidCookie() => AuthError.Unauthorized(TwoFactorErrors.InvalidTwoFactorCookie);

    /// <summary>
    /// A verified factor (Better Auth's <c>valid</c>): during sign-in a session is created (not remembered when the
    /// password step said so) and, with <paramref name="trustDevice"/>, the trust-device cookie set for 30 days; while
    /// signed in, the current session is answered.
    /// </summary>
    public static async Task<AuthResult> CompleteAsync(AuthContext ctx, TwoFactorAttempt attempt, bool trustDevice)
    {
        if (attempt.Session is { } current)
            return AuthResult.Json(new TwoFactorVerifiedResponse(current.Session.Token, TwoFactorUser.From(current.User)));

        var pair = await SessionManager.IssueSessionAsync(ctx, attempt.User, attempt.DontRemember);
        if (trustDevice)
        {
            var cookies = ctx.Auth.Cookies;
            var token = pair.Session.Token;
            var mac = ctx.Auth.Signer.SignBase64Url($"{attempt.User.Id}!{token}");
            SetTrustCookie(ctx, $"{mac}!{token}", cookies.Defaults with { MaxAge = TrustDeviceMaxAge });
            // Better Auth clears these two with a bare "name=; Max-Age=0" (no other attributes).
            var bare = new CookieAttributes { MaxAge = 0, Path = null, HttpOnly = false, SameSite = null };
            ctx.SetCookie(cookies.DontRemember, "", bare);
            ctx.SetCookie(cookies.Name(TwoFactorCookie), "", bare);
        }
        return AuthResult.Json(new TwoFactorVerifiedResponse(pair.Session.Token, TwoFactorUser.From(attempt.User)));
    }

    /// <summary>
    /// Turns two-factor on or off for the signed-in user and rotates their session, as Better Auth does after such a
    /// change: a new session carrying the old one's device details, the old one deleted, in one transaction.
    /// <paramref name="alsoWrite"/> adds the plugin's own table writes to the same transaction.
    /// </summary>
    public static async Task<SessionWithUser> SetEnabledAndRotateAsync(AuthContext ctx, SessionWithUser current, bool enabled,
        Func<Task>? alsoWrite = null)
    {
        SessionWithUser pair;
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync())
        {
            var user = await ctx.Store.UpdateUserAsync(current.User.Id, u => u[EnabledField] = enabled)
                       ?? throw AuthError.BadRequest(CoreErrors.UserNotFound);
            if (alsoWrite is not null) await alsoWrite();
            var old = current.Session;
            var session = await ctx.Store.CreateSessionAsync(user.Id, dontRemember: false, customize: s =>
            {
                s.IpAddress = old.IpAddress;
                s.UserAgent = old.UserAgent;
                foreach (var (field, value) in old.Extra) s[field] = value;
            });
            await ctx.Store.DeleteSessionAsync(old.Token);
            await tx.CommitAsync();
            pair = new SessionWithUser(session, user);
        }
        if (enabled) Core.Telemetry.SecurityLog.TwoFactorEnabled(ctx.Auth.SecurityLogger, pair.User.Id, ctx.ClientIp);
        else Core.Telemetry.SecurityLog.TwoFactorDisabled(ctx.Auth.SecurityLogger, pair.User.Id, ctx.ClientIp);
        SessionManager.SetSessionCookie(ctx, pair);
        return pair;
    }
}
