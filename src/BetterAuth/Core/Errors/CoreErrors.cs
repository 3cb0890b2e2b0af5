namespace BetterAuth.Core.Errors;

/// <summary>Better Auth's base error messages (error/codes.ts at 1.2.12). The wire code is derived from each.</summary>
internal static class CoreErrors
{
    public const string UserNotFound = "User not found";
    public const string FailedToCreateUser = "Failed to create user";
    public const string FailedToCreateSession = "Failed to create session";
    public const string FailedToUpdateUser = "Failed to update user";
    public const string FailedToGetSession = "Failed to get session";
    public const string InvalidPassword = "Invalid password";
    public const string InvalidEmail = "Invalid email";
    public const string InvalidEmailOrPassword = "Invalid email or password";
    public const string InvalidToken = "invalid token";
    public const string EmailNotVerified = "Email not verified";
    public const string PasswordTooShort = "Password too short";
    public const string PasswordTooLong = "Password too long";
    public const string UserAlreadyExists = "User already exists";
    public const string EmailCanNotBeUpdated = "Email can not be updated";
    /// <summary>Not in 1.2.12 (which answers 500 there); the message later versions use for an update-user body with nothing to update.</summary>
    public const string NoFieldsToUpdate = "No fields to update";
    public const string CredentialAccountNotFound = "Credential account not found";
    public const string AccountNotFound = "Account not found";
    public const string SessionExpired = "Session expired. Re-authenticate to perform this action.";
    public const string SessionNotFound = "Session not found";
    public const string SessionNotFresh = "Session is not fresh";
    public const string SignUpDisabled = "Email and password sign up is not enabled";
    public const string EmailPasswordDisabled = "Email and password is not enabled";
    public const string InvalidOrigin = "Invalid origin";
    public const string InvalidCallbackUrl = "Invalid callbackURL";
    public const string InvalidRedirectUrl = "Invalid redirectURL";
    public const string InvalidErrorCallbackUrl = "Invalid errorCallbackURL";
    public const string InvalidNewUserCallbackUrl = "Invalid newUserCallbackURL";
    public const string TooManyRequests = "Too many requests. Please try again later.";
}
