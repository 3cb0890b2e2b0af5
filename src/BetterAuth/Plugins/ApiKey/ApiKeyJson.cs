using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// The API key as Better Auth answers it (its key order), and the JSON texts its columns hold. The hashed key is never
/// part of an answer; only create's answer carries the key itself, once.
/// </summary>
internal static class ApiKeyJson
{
    public static JsonObject View(ApiKeyRow row, string? plainKey = null)
    {
        var o = new JsonObject
        {
            ["name"] = row.Name,
            ["start"] = row.Start,
            ["prefix"] = row.Prefix,
        };
        if (plainKey is not null) o["key"] = plainKey;
        o["userId"] = row.UserId;
        o["refillInterval"] = row.RefillInterval;
        o["refillAmount"] = row.RefillAmount;
        o["lastRefillAt"] = Date(row.LastRefillAt);
        o["enabled"] = row.Enabled;
        o["rateLimitEnabled"] = row.RateLimitEnabled;
        o["rateLimitTimeWindow"] = row.RateLimitTimeWindow;
        o["rateLimitMax"] = row.RateLimitMax;
        o["requestCount"] = row.RequestCount;
        o["remaining"] = row.Remaining;
        o["lastRequest"] = Date(row.LastRequest);
        o["expiresAt"] = Date(row.ExpiresAt);
        o["createdAt"] = JsDate.Format(row.CreatedAt);
        o["updatedAt"] = JsDate.Format(row.UpdatedAt);
        o["permissions"] = ParsePermissionsNode(row.Permissions);
        o["metadata"] = ParseMetadata(row.Metadata);
        o["id"] = row.Id;
        return o;
    }

    private static string? Date(DateTime? value) => value is { } d ? JsDate.Format(d) : null;

    /// <summary>The <c>permissions</c> column as resource → actions; null when empty or not such an object.</summary>
    public static Dictionary<string, string[]>? ParsePermissions(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try { return JsonSerializer.Deserialize(stored, ApiKeyJsonContext.Default.DictionaryStringStringArray); }
        catch (JsonException) { return null; }
    }

    private static JsonNode? ParsePermissionsNode(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try { return JsonNode.Parse(stored); }
        catch (JsonException) { return null; }
    }

    public static string? SerializePermissions(Dictionary<string, string[]>? permissions) =>
        permissions is null ? null : WriteJs(w => JsonSerializer.Serialize(w, permissions, ApiKeyJsonContext.Default.DictionaryStringStringArray));

    /// <summary>
    /// The <c>metadata</c> column: Better Auth encodes the object twice (its route and its adapter each stringify it),
    /// and writes <c>"null"</c> for none; reading undoes one or two encodings, so rows from either writer read the same.
    /// </summary>
    public static JsonNode? ParseMetadata(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            var node = JsonNode.Parse(stored);
            if (node is JsonValue v && v.TryGetValue<string>(out var inner))
            {
                try { return JsonNode.Parse(inner); }
                catch (JsonException) { return inner; }
            }
            return node;
        }
        catch (JsonException) { return stored; }
    }

    /// <summary>The column text for <paramref name="metadata"/>: encoded twice as Better Auth does, <c>"null"</c> for none.</summary>
    public static string EncodeMetadata(JsonElement? metadata)
    {
        if (metadata is not { } m || m.ValueKind == JsonValueKind.Null) return "null";
        var once = WriteJs(m.WriteTo);
        return WriteJs(w => w.WriteStringValue(once));
    }

    /// <summary>JSON text escaped as JavaScript's JSON.stringify escapes it, so stored columns match Better Auth's byte for byte.</summary>
    private static string WriteJs(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsStringEncoder.Instance })) write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>The API key verification answer: <c>{valid, error, key}</c>.</summary>
/// <param name="Valid">True when the key is accepted (and its use was counted).</param>
/// <param name="Error">Why it was refused, with Better Auth's message and code; null when valid.</param>
/// <param name="Key">The key as get answers it (never the key or its hash); null when refused.</param>
public sealed record ApiKeyVerifyResponse(
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("error")] ApiKeyVerifyError? Error,
    [property: JsonPropertyName("key")] JsonObject? Key);

/// <summary>Why a verified key was refused.</summary>
/// <param name="Message">Better Auth's message, e.g. "API Key has expired".</param>
/// <param name="Code">Better Auth's code, e.g. <c>KEY_EXPIRED</c>.</param>
public sealed record ApiKeyVerifyError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("code")] string Code);

/// <summary>A refused key: Better Auth's error body with <c>details.tryAgainIn</c> (milliseconds) when rate limited.</summary>
internal sealed record ApiKeyErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiKeyErrorDetails? Details);

internal sealed record ApiKeyErrorDetails([property: JsonPropertyName("tryAgainIn")] long TryAgainIn);

internal sealed record ApiKeyDeleteResponse([property: JsonPropertyName("success")] bool Success);

/// <summary>deleteAllExpiredApiKeys' answer: <c>{success, error}</c>.</summary>
/// <param name="Success">True when the expired keys were deleted.</param>
/// <param name="Error">Always null here (Better Auth reports a database error in it).</param>
public sealed record ApiKeyDeletedExpiredResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(ApiKeyVerifyResponse))]
[JsonSerializable(typeof(ApiKeyErrorBody))]
[JsonSerializable(typeof(ApiKeyDeleteResponse))]
[JsonSerializable(typeof(ApiKeyDeletedExpiredResponse))]
internal sealed partial class ApiKeyJsonContext : JsonSerializerContext;
