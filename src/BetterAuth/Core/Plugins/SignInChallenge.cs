using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Plugins;

/// <summary>
/// Decides, before a session is issued, whether a sign-in may finish now (ASP.NET Core Identity's
/// <c>SignInOrTwoFactorAsync</c> step). Every primary sign-in method asks each registered challenge once the user is
/// verified and the session-creating hooks have accepted the session (a ban refuses first); the first challenge that
/// answers stops the sign-in: no session row is written and no session cookie is set, and its answer is sent instead.
/// Register one with <see cref="AuthPluginBuilder.AddSignInChallenge"/>.
/// </summary>
public interface ISignInChallenge
{
    /// <summary>
    /// Null lets the sign-in go on; an answer (e.g. two-factor's <c>{"twoFactorRedirect":true}</c>, with the cookies the
    /// challenge set on <paramref name="ctx"/>) stops it. Throwing an <see cref="Errors.AuthError"/> refuses it.
    /// </summary>
    ValueTask<AuthResult?> ChallengeAsync(AuthContext ctx, SignInAttempt attempt);
}

/// <summary>A primary sign-in that has verified its user and is about to issue a session (see <see cref="ISignInChallenge"/>).</summary>
public sealed class SignInAttempt
{
    internal SignInAttempt(User user, string method, string? providerId, bool dontRemember, Session pendingSession)
    {
        User = user;
        Method = method;
        ProviderId = providerId;
        DontRemember = dontRemember;
        PendingSession = pendingSession;
    }

    /// <summary>The user signing in.</summary>
    public User User { get; }

    /// <summary>
    /// How the user proved who they are: one of <see cref="SignInMethods"/> for core's methods, or the method a plugin
    /// names (<c>username</c>, <c>phone-number</c>, <c>phone-number-otp</c>, <c>email-otp</c>, <c>magic-link</c>,
    /// <c>passkey</c>, <c>anonymous</c> for the first-party plugins).
    /// </summary>
    public string Method { get; }

    /// <summary>The social provider's id for <see cref="SignInMethods.Social"/>; otherwise null.</summary>
    public string? ProviderId { get; }

    /// <summary>
    /// True when the browser is not to be remembered: the sign-in asked so (<c>rememberMe: false</c>), or the request
    /// carries the signed <c>dont_remember</c> cookie of an earlier such choice and the method did not say otherwise.
    /// </summary>
    public bool DontRemember { get; }

    /// <summary>
    /// The session that will be issued if no challenge answers: its token and expiry are final, but it is not stored,
    /// so nothing may refer to its row.
    /// </summary>
    public Session PendingSession { get; }
}

/// <summary>The <see cref="SignInAttempt.Method"/> names of core's own sign-in methods.</summary>
public static class SignInMethods
{
    /// <summary>POST /sign-in/email: email and password.</summary>
    public const string Email = "email";
    /// <summary>POST /sign-up/email with auto sign-in: the new user's first session.</summary>
    public const string SignUp = "sign-up";
    /// <summary>GET /verify-email with <c>autoSignInAfterVerification</c>: the mailed link proves the address.</summary>
    public const string EmailVerification = "email-verification";
    /// <summary>A social provider: the OAuth callback, or POST /sign-in/social with an ID token (<see cref="SignInAttempt.ProviderId"/> names it).</summary>
    public const string Social = "social";
}
