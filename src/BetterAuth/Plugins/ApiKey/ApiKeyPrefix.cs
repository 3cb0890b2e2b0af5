namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Better Auth's rule for key prefixes. The plugin's bodies are read by core's <see cref="Core.Http.BodyFields"/>:
/// absent and <c>null</c> are told apart where Better Auth does (update's <c>expiresIn: null</c> clears the expiry,
/// <c>permissions: null</c> removes them; create's refill fields may not be null).
/// </summary>
internal static class ApiKeyPrefix
{
    /// <summary><c>/^[a-zA-Z0-9_-]+$/</c>.</summary>
    public static bool IsValid(string prefix) =>
        prefix.Length > 0 && prefix.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-');
}
