using BetterAuth.Core.Errors;

namespace BetterAuth.Core.OAuth;

/// <summary>Better Auth's messages for social sign-in and accounts (error/codes.ts and the routes' inline ones).</summary>
internal static class OAuthErrors
{
    public const string ProviderNotFound = "Provider not found";
    public const string IdTokenNotSupported = "id_token not supported";
    public const string FailedToGetUserInfo = "Failed to get user info";
    public const string UserEmailNotFound = "User email not found";
    public const string FailedToUnlinkLastAccount = "You can't unlink your last account";
    public const string LinkingNotAllowed = "Account not linked - linking not allowed";
    public const string DifferentEmailsNotAllowed = "Account not linked - different emails not allowed";
    public const string UnableToCreateAccount = "Account not linked - unable to create account";
    public const string FailedToGetAccessToken = "Failed to get a valid access token";
    public const string FailedToRefreshAccessToken = "Failed to refresh access token";
    /// <summary>Not in Better Auth (which answers 500 or hangs): a provider that cannot be reached in time.</summary>
    public const string ProviderUnavailable = "OAuth provider unavailable";

    public static string NotSupported(string providerId) => $"Provider {providerId} is not supported.";
    public static string NoRefresh(string providerId) => $"Provider {providerId} does not support token refreshing.";
    public static string NotConfigured(string providerId) => $"Provider account provider is {providerId} but it is not configured";

    /// <summary>502: the provider did not answer, or answered with a server error.</summary>
    public static AuthError Unavailable() => new(502, ProviderUnavailable);
}
