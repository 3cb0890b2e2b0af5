using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// The library's log messages with their event ids: 1000s configuration and start, 2000s request handling,
/// 3000s OAuth providers, 4000s message delivery, 6000s host integration (5000s are <see cref="SecurityLog"/>, 7000s
/// the plugins' own: 7100s passkey, 7200s JWT).
/// Messages name kinds, providers, operations and user ids, never an address, token, code or password.
/// </summary>
internal static partial class CoreLog
{
    [LoggerMessage(EventId = 1001, EventName = "DevelopmentSecret", Level = LogLevel.Warning,
        Message = "BetterAuth is using the public development secret. Set a secret (BETTER_AUTH_SECRET) before going to production.")]
    public static partial void DevelopmentSecret(ILogger logger);

    [LoggerMessage(EventId = 1002, EventName = "ShortSecret", Level = LogLevel.Warning,
        Message = "BetterAuth secret is shorter than 32 characters; use a long random value.")]
    public static partial void ShortSecret(ILogger logger);

    [LoggerMessage(EventId = 1003, EventName = "TrustedOriginIgnored", Level = LogLevel.Warning,
        Message = "BetterAuth: trusted origin '{Origin}' is not a URL, wildcard or app scheme that can be trusted; it is ignored.")]
    public static partial void TrustedOriginIgnored(ILogger logger, string origin);

    [LoggerMessage(EventId = 1004, EventName = "Migrated", Level = LogLevel.Information, Message = "BetterAuth migration: {Report}")]
    public static partial void Migrated(ILogger logger, Storage.MigrationReport report);

    [LoggerMessage(EventId = 1101, EventName = "DependencyUnavailable", Level = LogLevel.Warning,
        Message = "Readiness: {Dependency} cannot be reached")]
    public static partial void DependencyUnavailable(ILogger logger, Exception exception, string dependency);

    [LoggerMessage(EventId = 1102, EventName = "DependencyRecovered", Level = LogLevel.Information, Message = "Readiness: {Dependency} is reachable again")]
    public static partial void DependencyRecovered(ILogger logger, string dependency);

    [LoggerMessage(EventId = 2001, EventName = "UnhandledError", Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2002, EventName = "InputRefusedByDatabase", Level = LogLevel.Information,
        Message = "Input refused by the database in {Method} {Path}: {Error}")]
    public static partial void InputRefusedByDatabase(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 2003, EventName = "EventDeliveryFailed", Level = LogLevel.Error, Message = "Delivering Better Auth events failed")]
    public static partial void EventDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "A Better Auth event handler failed on {Event}")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 2005, EventName = "GetSessionFailed", Level = LogLevel.Error, Message = "get-session failed")]
    public static partial void GetSessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, EventName = "CookieCacheTooLarge", Level = LogLevel.Warning,
        Message = "Session cookie cache skipped: the session data is larger than a cookie can hold.")]
    public static partial void CookieCacheTooLarge(ILogger logger);

    [LoggerMessage(EventId = 3001, EventName = "OAuthStateOfAnotherBrowser", Level = LogLevel.Warning,
        Message = "OAuth callback refused: its state was issued to another browser")]
    public static partial void OAuthStateOfAnotherBrowser(ILogger logger);

    [LoggerMessage(EventId = 3002, EventName = "OAuthCodeExchangeFailed", Level = LogLevel.Warning,
        Message = "OAuth code exchange with {Provider} failed: {Reason}")]
    public static partial void OAuthCodeExchangeFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3003, EventName = "OAuthProviderUnavailable", Level = LogLevel.Warning,
        Message = "OAuth provider {Provider} unavailable: {Reason}")]
    public static partial void OAuthProviderUnavailable(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3004, EventName = "OAuthUserInfoFailed", Level = LogLevel.Warning,
        Message = "OAuth user info from {Provider} failed: {Reason}")]
    public static partial void OAuthUserInfoFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3005, EventName = "OAuthTokenRefreshFailed", Level = LogLevel.Warning,
        Message = "Token refresh with {Provider} failed: {Reason}")]
    public static partial void OAuthTokenRefreshFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3006, EventName = "OAuthEmailNotOverridden", Level = LogLevel.Warning,
        Message = "Social sign-in: not overriding user {UserId}'s email, another user has it")]
    public static partial void OAuthEmailNotOverridden(ILogger logger, string userId);

    [LoggerMessage(EventId = 4001, EventName = "MessageSending", Level = LogLevel.Information, Message = "Sending auth message {Kind}")]
    public static partial void MessageSending(ILogger logger, string kind);

    [LoggerMessage(EventId = 4003, EventName = "MessageDeliveryFailed", Level = LogLevel.Error,
        Message = "Sending a {Kind} message through {Sender} failed")]
    public static partial void MessageDeliveryFailed(ILogger logger, Exception exception, string kind, string sender);

    [LoggerMessage(EventId = 4004, EventName = "MailSent", Level = LogLevel.Information, Message = "Mail {Kind} sent over SMTP")]
    public static partial void MailSent(ILogger logger, string kind);

    [LoggerMessage(EventId = 4005, EventName = "SmsHandedToWebhook", Level = LogLevel.Information, Message = "SMS {Kind} handed to the webhook")]
    public static partial void SmsHandedToWebhook(ILogger logger, string kind);

    [LoggerMessage(EventId = 4006, EventName = "MessageDelivered", Level = LogLevel.Information,
        Message = "Auth message {MessageId} ({Kind}) delivered after {Attempts} attempt(s)")]
    public static partial void MessageDelivered(ILogger logger, string messageId, string kind, int attempts);

    [LoggerMessage(EventId = 4007, EventName = "MessageRetryScheduled", Level = LogLevel.Warning,
        Message = "Auth message {MessageId} ({Kind}) failed on attempt {Attempts} of {MaxAttempts} ({ErrorType}); next attempt at {NextAttempt:o}")]
    public static partial void MessageRetryScheduled(ILogger logger, string messageId, string kind, int attempts, int maxAttempts, string errorType,
        DateTime nextAttempt);

    [LoggerMessage(EventId = 4008, EventName = "MessageDeadLettered", Level = LogLevel.Error,
        Message = "Auth message {MessageId} ({Kind}) was not delivered after {Attempts} attempt(s) and is dead-lettered ({ErrorType})")]
    public static partial void MessageDeadLettered(ILogger logger, string messageId, string kind, int attempts, string errorType);

    [LoggerMessage(EventId = 4009, EventName = "OutboxPollFailed", Level = LogLevel.Warning,
        Message = "Reading the auth message outbox failed; trying again in {Seconds} s")]
    public static partial void OutboxPollFailed(ILogger logger, Exception exception, int seconds);

    [LoggerMessage(EventId = 6001, EventName = "AdminPluginMissing", Level = LogLevel.Error,
        Message = "An admin requirement is used but the admin plugin is not enabled; access is refused.")]
    public static partial void AdminPluginMissing(ILogger logger);

    [LoggerMessage(EventId = 6002, EventName = "OrganizationPluginMissing", Level = LogLevel.Error,
        Message = "An organization permission requirement is used but the organization plugin is not enabled; access is refused.")]
    public static partial void OrganizationPluginMissing(ILogger logger);
}
