namespace BetterAuth.Plugins.ApiKey;

/// <summary>Better Auth's API key error messages (plugins/api-key ERROR_CODES); codes derive from them unless given.</summary>
internal static class ApiKeyErrors
{
    public const string InvalidMetadataType = "metadata must be an object or undefined";
    public const string RefillAmountAndIntervalRequired = "refillAmount is required when refillInterval is provided";
    public const string RefillIntervalAndAmountRequired = "refillInterval is required when refillAmount is provided";
    public const string UserBanned = "User is banned";
    public const string UnauthorizedSession = "Unauthorized or invalid session";
    public const string KeyNotFound = "API Key not found";
    public const string KeyDisabled = "API Key is disabled";
    public const string KeyExpired = "API Key has expired";
    public const string UsageExceeded = "API Key has reached its usage limit";
    public const string ExpiresInTooSmall = "The expiresIn is smaller than the predefined minimum value.";
    public const string ExpiresInTooLarge = "The expiresIn is larger than the predefined maximum value.";
    public const string InvalidPrefixLength = "The prefix length is either too large or too small.";
    public const string InvalidNameLength = "The name length is either too large or too small.";
    public const string MetadataDisabled = "Metadata is disabled.";
    public const string RateLimitExceeded = "Rate limit exceeded.";
    public const string NoValuesToUpdate = "No values to update.";
    public const string KeyDisabledExpiration = "Custom key expiration values are disabled.";
    public const string InvalidApiKey = "Invalid API key.";
    public const string InvalidUserIdFromApiKey = "The user id from the API key is invalid.";
    public const string ServerOnlyProperty = "The property you're trying to set can only be set from the server auth instance only.";
    /// <summary>Ours: a server call naming a user that does not exist (Better Auth 1.2.12 answers 500).</summary>
    public const string UserNotFound = "User not found";
}
