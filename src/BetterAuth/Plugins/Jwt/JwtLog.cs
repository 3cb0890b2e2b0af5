using Microsoft.Extensions.Logging;

namespace BetterAuth.Plugins.Jwt;

/// <summary>The JWT plugin's log messages (event ids 7200-7299; docs/OBSERVABILITY.md lists every range).</summary>
internal static partial class JwtLog
{
    [LoggerMessage(EventId = 7201, EventName = "JwksRowUnreadable", Level = LogLevel.Error,
        Message = "JWT plugin: the public key of jwks row {Id} is not a JSON object; it is not published.")]
    public static partial void JwksRowUnreadable(ILogger logger, string id);

    [LoggerMessage(EventId = 7202, EventName = "SetAuthJwtFailed", Level = LogLevel.Error,
        Message = "JWT plugin: no set-auth-jwt header on get-session.")]
    public static partial void SetAuthJwtFailed(ILogger logger, Exception exception);
}
