using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// POST /api-key/create: a new key for the caller (see <see cref="ApiKeyOwner"/>), checked in Better Auth's order
/// (body types, owner, server-only fields, metadata, refill pair, expiry range, prefix and name lengths). The key is
/// drawn from a CSPRNG (Better Auth uses Math.random) in Better Auth's format — prefix then letters — and only its
/// SHA-256 hash is stored; the answer carries the key this once.
/// </summary>
internal sealed class ApiKeyCreateEndpoint(ApiKeyOptions options, ApiKeyVerifier verifier)
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Better Auth's server-only create fields (<c>remaining</c> counts only when not null).</summary>
    internal static readonly string[] ServerOnlyFields = ["refillAmount", "refillInterval", "rateLimitMax", "rateLimitTimeWindow", "rateLimitEnabled", "permissions"];

    public AuthEndpoint Endpoint => AuthEndpoint.Post("/api-key/create", CreateAsync) with
    {
        OperationId = "createApiKey",
        Summary = "Create a new API key for a user",
        Body =
        [
            Str("name", "Name of the Api Key"), Num("expiresIn", "Expiration time of the Api Key in seconds").OrNull(),
            Str("userId", "User Id of the user that the Api Key belongs to. Server-side calls only."),
            Str("prefix", "Prefix of the Api Key"), Num("remaining", "Remaining number of requests. Server side only").OrNull(),
            AnyObject("metadata", "Metadata of the Api Key"),
            Num("refillAmount", "Amount to refill the remaining count of the Api Key. Server Only Property"),
            Num("refillInterval", "Interval to refill the Api Key in milliseconds. Server Only Property."),
            Num("rateLimitTimeWindow", "The duration in milliseconds where each request is counted. Server Only Property."),
            Num("rateLimitMax", "Maximum amount of requests allowed within a window. Server Only Property."),
            Bool("rateLimitEnabled", "Whether the key has rate limiting enabled. Server Only Property."),
            Field("permissions", ApiSchema.MapOf(ApiSchema.Strings), "Permissions of the Api Key. Server Only Property."),
        ],
        Response = Returns("API Key created successfully", ApiKeyDocs.KeyFields(withKey: true)),
    };

    private async ValueTask<AuthResult> CreateAsync(AuthContext ctx)
    {
        var input = BodyFields.Read(ctx);
        var name = input.String("name", Presence.Optional);
        var expiresIn = input.Number("expiresIn", Presence.Nullish, min: 1);
        var prefix = input.String("prefix", Presence.Optional);
        if (prefix is not null && !ApiKeyPrefix.IsValid(prefix)) throw AuthError.InvalidBody();
        var remaining = input.Whole("remaining", Presence.Nullish, min: 0);
        var metadata = input.Raw("metadata");
        var refillAmount = input.Whole("refillAmount", Presence.Optional, min: 1);
        var refillInterval = input.Whole("refillInterval", Presence.Optional);
        var rateLimitTimeWindow = input.Whole("rateLimitTimeWindow", Presence.Optional);
        var rateLimitMax = input.Whole("rateLimitMax", Presence.Optional);
        var rateLimitEnabled = input.Bool("rateLimitEnabled", Presence.Optional);
        var permissions = ApiKeyJson.PermissionMap(input.Permissions("permissions", Presence.Optional));

        var (userId, trusted) = await ApiKeyOwner.ResolveAsync(ctx, input);
        if (!trusted && (ServerOnlyFields.Any(input.Has) || remaining is not null))
            throw AuthError.BadRequest(ApiKeyErrors.ServerOnlyProperty);
        if (Truthy(metadata))
        {
            if (!options.EnableMetadata) throw AuthError.BadRequest(ApiKeyErrors.MetadataDisabled);
            if (metadata!.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) throw AuthError.BadRequest(ApiKeyErrors.InvalidMetadataType);
        }
        if (refillAmount is not null && refillInterval is null or 0) throw AuthError.BadRequest(ApiKeyErrors.RefillAmountAndIntervalRequired);
        if (refillInterval is not null and not 0 && refillAmount is null) throw AuthError.BadRequest(ApiKeyErrors.RefillIntervalAndAmountRequired);
        var now = ctx.Auth.Now;
        if (expiresIn is { } seconds) ApiKeyExpiry.Check(options, seconds, now);
        if (prefix is { Length: > 0 } && (prefix.Length < options.MinimumPrefixLength || prefix.Length > options.MaximumPrefixLength))
            throw AuthError.BadRequest(ApiKeyErrors.InvalidPrefixLength);
        if (name is { Length: > 0 } && (name.Length < options.MinimumNameLength || name.Length > options.MaximumNameLength))
            throw AuthError.BadRequest(ApiKeyErrors.InvalidNameLength);

        await verifier.SweepExpiredAsync(ctx);
        var keyPrefix = prefix ?? options.DefaultPrefix;
        var key = (keyPrefix ?? "") + RandomNumberGenerator.GetString(Letters, options.DefaultKeyLength);
        var defaults = options.Permissions.DefaultPermissionsFor is { } computeDefaults
            ? await computeDefaults(userId, ctx)
            : options.Permissions.DefaultPermissions;
        var row = new ApiKeyRow
        {
            Id = RandomStrings.Id(),
            CreatedAt = now,
            UpdatedAt = now,
            Name = name,
            Prefix = keyPrefix,
            Start = options.StartingCharactersConfig.ShouldStore ? key[..Math.Min(key.Length, options.StartingCharactersConfig.CharactersLength)] : null,
            Key = ApiKeyVerifier.Hash(key),
            Enabled = true,
            ExpiresAt = expiresIn is { } custom ? now.AddSeconds(custom)
                : options.KeyExpiration.DefaultExpiresIn is { } fallback ? now.AddSeconds(fallback) : null,
            UserId = userId,
            RateLimitMax = rateLimitMax ?? options.RateLimit.MaxRequests,
            RateLimitTimeWindow = rateLimitTimeWindow ?? options.RateLimit.TimeWindow,
            // Better Auth writes `remaining || refillAmount || null`, which turns an explicit 0 into "unlimited".
            Remaining = remaining ?? refillAmount,
            RefillAmount = refillAmount,
            RefillInterval = refillInterval,
            RateLimitEnabled = rateLimitEnabled ?? options.RateLimit.Enabled,
            RequestCount = 0,
            Permissions = ApiKeyJson.SerializePermissions(permissions ?? defaults),
            Metadata = ApiKeyJson.EncodeMetadata(Truthy(metadata) ? metadata : null),
        };
        ctx.Db.Set<ApiKeyRow>().Add(row);
        await ctx.Db.SaveChangesAsync(ctx.Http.RequestAborted);
        ctx.Db.Entry(row).State = EntityState.Detached;

        var view = ApiKeyJson.View(row, key);
        // Better Auth echoes the metadata given (even a falsy one it did not store).
        view["metadata"] = metadata is { ValueKind: not JsonValueKind.Null } m ? JsonNode.Parse(m.GetRawText()) : null;
        return AuthResult.Json(view);
    }

    /// <summary>JavaScript truthiness of a JSON value: absent, null, false, 0 and "" are falsy.</summary>
    private static bool Truthy(JsonElement? value) => value is { } v && v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.Number => v.GetDouble() != 0,
        JsonValueKind.String => v.GetString()!.Length > 0,
        _ => true,
    };
}

/// <summary>Better Auth's <c>expiresIn</c> rules (seconds, bounded in days by the options).</summary>
internal static class ApiKeyExpiry
{
    public static void Check(ApiKeyOptions options, double seconds, DateTime now)
    {
        if (options.KeyExpiration.DisableCustomExpiresTime) throw AuthError.BadRequest(ApiKeyErrors.KeyDisabledExpiration);
        var days = seconds / 86400;
        if (days < options.KeyExpiration.MinExpiresIn) throw AuthError.BadRequest(ApiKeyErrors.ExpiresInTooSmall);
        if (days > options.KeyExpiration.MaxExpiresIn || seconds > (DateTime.MaxValue - now).TotalSeconds - 1)
            throw AuthError.BadRequest(ApiKeyErrors.ExpiresInTooLarge);
    }
}
