using BetterAuth.Core.Cookies;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
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
/// The sign-in challenge: intercepting credential sign-ins of enrolled users, the trust-device cookie, and completing
/// the sign-in once a factor is verified. Shared by the TOTP, OTP and backup-code endpoints.
/// </summary>
internal sealed class TwoFactorChallenge(TwoFactorOptions options)
{
    public const string TwoFactorCookie = "two_factor";
    public const string TrustDeviceCookie = "trust_device";
    public const int TrustDeviceMaxAge = 30 * 24 * 60 * 60;
    public const string EnabledField = "twoFactorEnabled";
    /// <summary>The mark of every verification row of the plugin: challenges, mailed codes and used TOTP steps.</summary>
    public const string VerificationPrefix = "2fa-";

    /// <summary>The credential sign-in paths Better Auth intercepts (email, username, phone number).</summary>
    public static bool IsCredentialSignIn(AuthContext ctx) =>
        ctx.Path is "/sign-in/email" or "/sign-in/username" or "/sign-in/phone-number";

    public static bool IsEnabled(User user) => user[EnabledField] is true;

    public static Task<TwoFactorRow?> FindRowAsync(AuthContext ctx, string userId) =>
        ctx.Db.Set<TwoFactorRow>().AsNoTracking().FirstOrDefaultAsync(t => t.UserId == userId);

    /// <summary>
    /// After-hook of credential sign-ins. For an enrolled user without a valid trust-device cookie, the session the
    /// sign-in just created is deleted and replaced by a short-lived challenge: a <c>2fa-…</c> verification row named by
    /// the signed <c>two_factor</c> cookie. The answer becomes <c>{"twoFactorRedirect":true}</c>.
    /// </summary>
    public async ValueTask<AuthResult> InterceptSignInAsync(AuthContext ctx, AuthResult result)
    {
        var created = ctx.NewSession;
        if (created is null || !IsEnabled(created.User)) return result;
        if (TryRenewTrust(ctx, created)) return result;

        var cookies = ctx.Auth.Cookies;
        SessionManager.DeleteSessionCookie(ctx, skipDontRemember: true);
        ctx.Outcome.SignInResult = Core.Telemetry.AuthTelemetry.TwoFactorRequired;
        // The bearer header would otherwise hand out the token of the session deleted below.
        ctx.ResponseHeaders.Remove("set-auth-token");
        ctx.ResponseHeaders.Remove("Access-Control-Expose-Headers");
        ctx.NewSession = null;

        var identifier = VerificationPrefix + RandomStrings.From(RandomStrings.UrlSafe, 20);
        var maxAge = options.TwoFactorCookieMaxAge;
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync())
        {
            await ctx.Store.DeleteSessionAsync(created.Session.Token);
            await ctx.Store.CreateVerificationAsync(identifier, created.User.Id, ctx.Auth.Now.AddSeconds(maxAge));
            await tx.CommitAsync();
        }
        ctx.SetSignedCookie(cookies.Name(TwoFactorCookie), identifier, cookies.Defaults with { MaxAge = maxAge });
        return AuthResult.Json(TwoFactorRedirectResponse.True);
    }

    /// <summary>
    /// A trust-device cookie <c>&lt;HMAC(secret, "userId!token")&gt;!&lt;token&gt;</c> for this user skips the challenge.
    /// As Better Auth 1.2.12 does, it is then re-issued signing the <em>old</em> token beside the new one, without Max-Age
    /// (so a trusted device skips the challenge once per trust, and the cookie then lasts for the browser session).
    /// </summary>
    private static bool TryRenewTrust(AuthContext ctx, SessionWithUser created)
    {
        var cookies = ctx.Auth.Cookies;
        var value = ctx.GetSignedCookie(cookies.Name(TrustDeviceCookie));
        if (value is null) return false;
        var parts = value.Split('!');
        if (parts.Length < 2) return false;
        var expected = ctx.Auth.Signer.SignBase64Url($"{created.User.Id}!{parts[1]}");
        if (!Core.Otp.OneTimeCodes.FixedTimeEquals(parts[0], expected)) return false;
        SetTrustCookie(ctx, $"{expected}!{created.Session.Token}", cookies.Defaults);
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

        var pair = await SessionManager.SignInAsync(ctx, attempt.User, attempt.DontRemember);
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
