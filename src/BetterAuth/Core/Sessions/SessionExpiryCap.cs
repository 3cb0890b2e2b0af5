using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Sessions;

/// <summary>
/// The latest moment a session may ever expire, stored with the row (<c>session.maxExpiresAt</c>, a nullable date
/// column Better Auth ignores). A session promised a short life — "don't remember me" (1 day) or an admin's
/// impersonation (1 hour) — gets its first expiry as its cap, so no refresh path (cookie without the dont_remember
/// marker, bearer token, the shared cache, an update hook) can stretch it to a full session. Rows without a cap (those
/// Better Auth wrote, ordinary sign-ins) are extended as before.
/// </summary>
internal static class SessionExpiryCap
{
    public const string FieldName = "maxExpiresAt";

    /// <summary>Core's session column: never client input, never returned to clients.</summary>
    public static readonly FieldDefinition Field = new(FieldName, FieldType.Date) { Input = false, Returned = false };

    /// <summary>The session's cap, if it has one.</summary>
    public static DateTime? Of(Session session) => session.Get<DateTime?>(FieldName);

    /// <summary>Holds the session to the expiry it has now.</summary>
    public static void Fix(Session session) => session[FieldName] = session.ExpiresAt;

    /// <summary><paramref name="expiresAt"/>, or the session's cap when that comes first.</summary>
    public static DateTime Clamp(Session session, DateTime expiresAt) => Of(session) is { } cap && cap < expiresAt ? cap : expiresAt;
}
