using Microsoft.Extensions.Logging;

namespace BetterAuth.Plugins.Passkey;

/// <summary>The passkey plugin's log messages (event ids 7100-7199; docs/OBSERVABILITY.md lists every range).</summary>
internal static partial class PasskeyLog
{
    [LoggerMessage(EventId = 7101, EventName = "PasskeySignInRefused", Level = LogLevel.Information,
        Message = "Passkey sign-in refused: the assertion did not verify")]
    public static partial void SignInRefused(ILogger logger);

    [LoggerMessage(EventId = 7102, EventName = "PasskeyRegistrationRefused", Level = LogLevel.Information,
        Message = "Passkey registration refused: the authenticator's response did not verify")]
    public static partial void RegistrationRefused(ILogger logger);
}
