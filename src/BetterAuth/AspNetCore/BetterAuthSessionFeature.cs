using BetterAuth.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace BetterAuth.AspNetCore;

/// <summary>The full session and user rows behind <c>HttpContext.User</c>, set when the Better Auth scheme authenticated the request.</summary>
public interface IBetterAuthSessionFeature
{
    /// <summary>The session and user of the request.</summary>
    SessionWithUser Session { get; }
}

internal sealed class BetterAuthSessionFeature(SessionWithUser session) : IBetterAuthSessionFeature
{
    public SessionWithUser Session { get; } = session;
}

/// <summary>Reads the Better Auth session of an authenticated request.</summary>
public static class BetterAuthHttpContextExtensions
{
    /// <summary>
    /// The request's Better Auth session with its user (every column, plugin ones included), or null when the request
    /// was not authenticated by the Better Auth scheme. Available after authentication ran (UseAuthentication, or an
    /// endpoint requiring authorization).
    /// </summary>
    public static SessionWithUser? GetBetterAuthSession(this HttpContext http) =>
        http.Features.Get<IBetterAuthSessionFeature>()?.Session;
}
