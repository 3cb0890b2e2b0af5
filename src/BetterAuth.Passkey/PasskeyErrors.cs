namespace BetterAuth.Plugins.Passkey;

/// <summary>The plugin's messages exactly as Better Auth 1.2.12 throws them; the wire code is derived from each.</summary>
internal static class PasskeyErrors
{
    public const string ChallengeNotFound = "Challenge not found";
    public const string YouAreNotAllowedToRegisterThisPasskey = "You are not allowed to register this passkey";
    public const string FailedToVerifyRegistration = "Failed to verify registration";
    public const string PasskeyNotFound = "Passkey not found";
    public const string AuthenticationFailed = "Authentication failed";
    public const string UnableToCreateSession = "Unable to create session";
    public const string FailedToUpdatePasskey = "Failed to update passkey";
    /// <summary>A credential id registered already: Better Auth 1.2.12 stores a second row; later versions name this error.</summary>
    public const string PreviouslyRegistered = "Previously registered";
}
