using BetterAuth.Core.Http;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// Security events as structured log events (category <see cref="BetterAuthDiagnostics.SecurityLogCategory"/>), each
/// with its own event id (5000-5099) so an operator can alert on it. They name users by id and clients by IP address;
/// never an email address, phone number, token, code or password.
/// </summary>
internal static partial class SecurityLog
{
    // 500x: sign-in
    [LoggerMessage(EventId = 5001, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in failed: method {SignInMethod}, {ErrorType}, operation {Operation}, client {ClientIp}")]
    public static partial void SignInFailed(ILogger logger, string signInMethod, string errorType, string operation, string? clientIp);

    [LoggerMessage(EventId = 5002, EventName = "SignInRateLimited", Level = LogLevel.Warning,
        Message = "Sign-in locked out by the rate limit: method {SignInMethod}, operation {Operation}, client {ClientIp}")]
    public static partial void SignInRateLimited(ILogger logger, string signInMethod, string operation, string? clientIp);

    // 501x: bans
    [LoggerMessage(EventId = 5010, EventName = "UserBanned", Level = LogLevel.Warning,
        Message = "User {UserId} banned by {ActorId} until {BanExpires} from {ClientIp}")]
    public static partial void UserBanned(ILogger logger, string userId, string actorId, DateTime? banExpires, string? clientIp);

    [LoggerMessage(EventId = 5011, EventName = "UserUnbanned", Level = LogLevel.Information,
        Message = "User {UserId} unbanned by {ActorId} from {ClientIp}")]
    public static partial void UserUnbanned(ILogger logger, string userId, string actorId, string? clientIp);

    // 502x: impersonation and privileges
    [LoggerMessage(EventId = 5020, EventName = "ImpersonationStarted", Level = LogLevel.Warning,
        Message = "User {ActorId} started impersonating user {UserId} (session {SessionId}) from {ClientIp}")]
    public static partial void ImpersonationStarted(ILogger logger, string actorId, string userId, string sessionId, string? clientIp);

    [LoggerMessage(EventId = 5021, EventName = "ImpersonationStopped", Level = LogLevel.Information,
        Message = "User {ActorId} stopped impersonating user {UserId} from {ClientIp}")]
    public static partial void ImpersonationStopped(ILogger logger, string actorId, string userId, string? clientIp);

    [LoggerMessage(EventId = 5022, EventName = "RoleChanged", Level = LogLevel.Warning,
        Message = "User {UserId} given role {Role} by {ActorId} from {ClientIp}")]
    public static partial void RoleChanged(ILogger logger, string userId, string role, string actorId, string? clientIp);

    // 503x: passwords
    [LoggerMessage(EventId = 5030, EventName = "PasswordChanged", Level = LogLevel.Information,
        Message = "User {UserId} changed their password (other sessions revoked: {OtherSessionsRevoked}) from {ClientIp}")]
    public static partial void PasswordChanged(ILogger logger, string userId, bool otherSessionsRevoked, string? clientIp);

    [LoggerMessage(EventId = 5031, EventName = "PasswordReset", Level = LogLevel.Information,
        Message = "User {UserId} reset their password through {Operation} from {ClientIp}")]
    public static partial void PasswordReset(ILogger logger, string userId, string operation, string? clientIp);

    [LoggerMessage(EventId = 5032, EventName = "PasswordSetByAdmin", Level = LogLevel.Warning,
        Message = "User {UserId}'s password set by {ActorId} from {ClientIp}")]
    public static partial void PasswordSetByAdmin(ILogger logger, string userId, string actorId, string? clientIp);

    // 504x: two-factor
    [LoggerMessage(EventId = 5040, EventName = "TwoFactorEnabled", Level = LogLevel.Information,
        Message = "User {UserId} enabled two-factor authentication from {ClientIp}")]
    public static partial void TwoFactorEnabled(ILogger logger, string userId, string? clientIp);

    [LoggerMessage(EventId = 5041, EventName = "TwoFactorDisabled", Level = LogLevel.Warning,
        Message = "User {UserId} disabled two-factor authentication from {ClientIp}")]
    public static partial void TwoFactorDisabled(ILogger logger, string userId, string? clientIp);

    [LoggerMessage(EventId = 5042, EventName = "BackupCodesRegenerated", Level = LogLevel.Information,
        Message = "User {UserId} generated new two-factor backup codes from {ClientIp}")]
    public static partial void BackupCodesRegenerated(ILogger logger, string userId, string? clientIp);

    /// <summary>The security logger of the request's auth instance.</summary>
    public static ILogger For(AuthContext ctx) => ctx.Auth.SecurityLogger;
}
