using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Events;

/// <summary>A user row was created (email sign-up, social sign-in, OTP, anonymous, admin create-user...).</summary>
public sealed record UserCreatedEvent(User User) : AuthEvent<UserCreatedEvent>;

/// <summary>
/// A session was handed to a client for <paramref name="User"/> (any sign-in method, sign-up with auto sign-in,
/// impersonation). Not raised when a two-factor challenge withheld the session, nor when the caller's own session
/// was only replaced (password change, two-factor enrolment).
/// </summary>
public sealed record SignedInEvent(User User, Session Session) : AuthEvent<SignedInEvent>;

/// <summary>The caller signed out: <paramref name="Session"/> is the session that ended.</summary>
public sealed record SignedOutEvent(User User, Session Session) : AuthEvent<SignedOutEvent>;

/// <summary>The user changed their password (knowing the current one).</summary>
public sealed record PasswordChangedEvent(User User, bool OtherSessionsRevoked) : AuthEvent<PasswordChangedEvent>;

/// <summary>The user's password was set through a reset flow (mailed link, email OTP, phone OTP).</summary>
public sealed record PasswordResetEvent(string UserId) : AuthEvent<PasswordResetEvent>;

/// <summary>Which sessions a revocation ended.</summary>
public enum SessionRevocationScope
{
    /// <summary>One session, named in the event.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Public API: one session, not the float type; renaming would break hosts.")]
    Single,
    /// <summary>Every session of the user except the caller's.</summary>
    Others,
    /// <summary>Every session of the user.</summary>
    All,
}

/// <summary>The user revoked sessions (revoke-session, revoke-other-sessions, revoke-sessions); <paramref name="Session"/> is set for <see cref="SessionRevocationScope.Single"/>.</summary>
public sealed record SessionRevokedEvent(string UserId, SessionRevocationScope Scope, Session? Session) : AuthEvent<SessionRevokedEvent>;

/// <summary>The user's email address became verified (mailed link, email OTP...).</summary>
public sealed record EmailVerifiedEvent(User User) : AuthEvent<EmailVerifiedEvent>;

/// <summary>The user, with their sessions and accounts, was deleted (by themselves or an admin).</summary>
public sealed record UserDeletedEvent(User User) : AuthEvent<UserDeletedEvent>;
