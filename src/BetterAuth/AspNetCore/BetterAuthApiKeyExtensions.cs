using System.Text.Json.Nodes;
using BetterAuth.AspNetCore;
using BetterAuth.Plugins.ApiKey;

namespace BetterAuth;

/// <summary>
/// The API key plugin's server-side calls (Better Auth's <c>auth.api.createApiKey</c> without headers,
/// <c>verifyApiKey</c>, <c>deleteAllExpiredApiKeys</c>). Only these calls may name the key's user and set the
/// server-only fields; a client request never can.
/// </summary>
public static class BetterAuthApiKeyExtensions
{
    /// <summary>
    /// A key for <paramref name="userId"/> (who must exist). <paramref name="fields"/> are create's other body members,
    /// server-only ones included: <c>name</c>, <c>prefix</c>, <c>expiresIn</c>, <c>remaining</c>, <c>refillAmount</c>,
    /// <c>refillInterval</c>, <c>rateLimitEnabled</c>, <c>rateLimitTimeWindow</c>, <c>rateLimitMax</c>, <c>permissions</c>,
    /// <c>metadata</c>. Returns create's answer, the key in <c>key</c> (shown this once).
    /// </summary>
    public static async Task<JsonObject> CreateApiKeyAsync(this BetterAuthApi api, string userId, JsonObject? fields = null,
        CancellationToken ct = default)
    {
        var body = fields?.DeepClone().AsObject() ?? new JsonObject();
        body["userId"] = userId;
        return (await api.CallAsync<JsonObject>("POST", "/api-key/create", body, ct: ct))!;
    }

    /// <summary>
    /// Changes a key of <paramref name="userId"/>; <paramref name="fields"/> are update's body members, server-only ones
    /// included. Counts one use of <c>remaining</c>, as Better Auth's update does.
    /// </summary>
    public static async Task<JsonObject> UpdateApiKeyAsync(this BetterAuthApi api, string userId, string keyId, JsonObject fields,
        CancellationToken ct = default)
    {
        var body = fields.DeepClone().AsObject();
        body["userId"] = userId;
        body["keyId"] = keyId;
        return (await api.CallAsync<JsonObject>("POST", "/api-key/update", body, ct: ct))!;
    }

    /// <summary>
    /// Checks a key, and that it grants <paramref name="permissions"/> when given (resource → actions); counts the use
    /// (remaining, rate limit). Never throws for a bad key: <c>Valid</c> is false and <c>Error</c> says why.
    /// </summary>
    public static async Task<ApiKeyVerifyResponse> VerifyApiKeyAsync(this BetterAuthApi api, string key,
        IReadOnlyDictionary<string, string[]>? permissions = null, CancellationToken ct = default)
    {
        var body = new JsonObject { ["key"] = key };
        if (permissions is not null)
        {
            var granted = new JsonObject();
            foreach (var (resource, actions) in permissions) granted[resource] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray());
            body["permissions"] = granted;
        }
        return (await api.CallAsync<ApiKeyVerifyResponse>("POST", "/api-key/verify", body, ct: ct))!;
    }

    /// <summary>Deletes every expired key now (Better Auth also does it, at most every 10 s, after API key operations).</summary>
    public static async Task DeleteExpiredApiKeysAsync(this BetterAuthApi api, CancellationToken ct = default) =>
        await api.CallAsync<ApiKeyDeletedExpiredResponse>("POST", "/api-key/delete-all-expired-api-keys", new JsonObject(), ct: ct);
}
