namespace BetterAuth.Plugins.Username;

/// <summary>The plugin's messages exactly as Better Auth throws them (lower case); the wire code is derived from each.</summary>
internal static class UsernameErrors
{
    public const string InvalidUsernameOrPassword = "invalid username or password";
    public const string EmailNotVerified = "email not verified";
    public const string UsernameIsAlreadyTaken = "username is already taken. please try another.";
    public const string UsernameTooShort = "username is too short";
    public const string UsernameTooLong = "username is too long";
    public const string InvalidUsername = "username is invalid";
}
