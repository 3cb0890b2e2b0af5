using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// POST /api-key/update: changes one of the caller's keys, checked in Better Auth's order. As in Better Auth the update
/// counts one use of <c>remaining</c> and sets <c>lastRequest</c> (clients see both); unlike it, <c>remaining</c> never
/// goes below 0 (Better Auth's -1 would make the key unlimited), <c>updatedAt</c> is set, and metadata is refused
/// while the options disable it, as create refuses it.
/// </summary>
internal sealed class ApiKeyUpdateEndpoint(ApiKeyOptions options, ApiKeyVerifier verifier)
{
    private static readonly string[] ServerOnlyFields = ["refillAmount", "refillInterval", "rateLimitMax", "rateLimitTimeWindow", "rateLimitEnabled", "remaining", "permissions"];

    public AuthEndpoint Endpoint => AuthEndpoint.Post("/api-key/update", UpdateAsync) with
    {
        OperationId = "updateApiKey",
        Summary = "Update an existing API key by ID",
        Body =
        [
            Str("keyId", "The id of the Api Key").Required(), Str("userId", "The id of the user which the api key belongs to. Server-side calls only."),
            Str("name", "The name of the key"), Bool("enabled", "Whether the Api Key is enabled or not"),
            Num("remaining", "The number of remaining requests. Server Only Property"),
            Num("refillAmount", "The refill amount. Server Only Property"), Num("refillInterval", "The refill interval. Server Only Property"),
            AnyObject("metadata", "The metadata of the Api Key"), Num("expiresIn", "Expiration time of the Api Key in seconds").OrNull(),
            Bool("rateLimitEnabled", "Whether the key has rate limiting enabled. Server Only Property"),
            Num("rateLimitTimeWindow", "The duration in milliseconds where each request is counted. Server Only Property"),
            Num("rateLimitMax", "Maximum amount of requests allowed within a window. Server Only Property"),
            Field("permissions", ApiSchema.MapOf(ApiSchema.Strings).OrNull(), "Update the permissions on the API Key. Server Only Property"),
        ],
        Response = Returns("API Key updated successfully", ApiKeyDocs.KeyFields(withKey: false)),
    };

    private async ValueTask<AuthResult> UpdateAsync(AuthContext ctx)
    {
        var input = BodyFields.Read(ctx);
        var keyId = input.RequiredString("keyId");
        var name = input.String("name", Presence.Optional);
        var enabled = input.Bool("enabled", Presence.Optional);
        var remaining = input.Whole("remaining", Presence.Optional, min: 1);
        var refillAmount = input.Whole("refillAmount", Presence.Optional);
        var refillInterval = input.Whole("refillInterval", Presence.Optional);
        var metadata = input.Raw("metadata");
        var expiresIn = input.Number("expiresIn", Presence.Nullish, min: 1);
        var rateLimitEnabled = input.Bool("rateLimitEnabled", Presence.Optional);
        var rateLimitTimeWindow = input.Whole("rateLimitTimeWindow", Presence.Optional);
        var rateLimitMax = input.Whole("rateLimitMax", Presence.Optional);
        var permissions = ApiKeyJson.PermissionMap(input.Permissions("permissions", Presence.Nullish));

        var (userId, trusted) = await ApiKeyOwner.ResolveAsync(ctx, input);
        if (!trusted && ServerOnlyFields.Any(input.Has)) throw AuthError.BadRequest(ApiKeyErrors.ServerOnlyProperty);

        var now = ctx.Auth.Now;
        var aborted = ctx.Http.RequestAborted;
        // Under the key's row lock: the answer is the row as this update leaves it, and a use counted meanwhile (which
        // takes the same lock) is neither lost nor written over with a stale value.
        await using var tx = await ctx.Db.Database.BeginTransactionAsync(aborted);
        await ctx.Db.LockRowAsync<ApiKeyRow>(r => r.Id, keyId, aborted);
        var row = await ctx.Db.Set<ApiKeyRow>().FirstOrDefaultAsync(r => r.Id == keyId && r.UserId == userId, aborted)
                  ?? throw AuthError.NotFound(ApiKeyErrors.KeyNotFound);
        var changes = new List<Action<ApiKeyRow>>();
        if (name is not null)
        {
            if (name.Length < options.MinimumNameLength || name.Length > options.MaximumNameLength)
                throw AuthError.BadRequest(ApiKeyErrors.InvalidNameLength);
            changes.Add(r => r.Name = name);
        }
        if (enabled is { } on) changes.Add(r => r.Enabled = on);
        if (input.Has("expiresIn"))
        {
            if (expiresIn is { } seconds) ApiKeyExpiry.Check(options, seconds, now);
            else if (options.KeyExpiration.DisableCustomExpiresTime) throw AuthError.BadRequest(ApiKeyErrors.KeyDisabledExpiration);
            changes.Add(r => r.ExpiresAt = expiresIn is { } s ? now.AddSeconds(s) : null);
        }
        if (metadata is { } m)
        {
            if (m.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                throw AuthError.BadRequest(ApiKeyErrors.InvalidMetadataType);
            if (!options.EnableMetadata && m.ValueKind != JsonValueKind.Null) throw AuthError.BadRequest(ApiKeyErrors.MetadataDisabled);
            changes.Add(r => r.Metadata = ApiKeyJson.EncodeMetadata(m));
        }
        if (remaining is { } left) changes.Add(r => r.Remaining = left);
        if (input.Has("refillAmount") || input.Has("refillInterval"))
        {
            if (refillInterval is null) throw AuthError.BadRequest(ApiKeyErrors.RefillAmountAndIntervalRequired);
            if (refillAmount is null) throw AuthError.BadRequest(ApiKeyErrors.RefillIntervalAndAmountRequired);
            changes.Add(r => { r.RefillAmount = refillAmount; r.RefillInterval = refillInterval; });
        }
        if (rateLimitEnabled is { } limited) changes.Add(r => r.RateLimitEnabled = limited);
        if (rateLimitTimeWindow is { } window) changes.Add(r => r.RateLimitTimeWindow = window);
        if (rateLimitMax is { } max) changes.Add(r => r.RateLimitMax = max);
        if (input.Has("permissions")) changes.Add(r => r.Permissions = ApiKeyJson.SerializePermissions(permissions));
        if (changes.Count == 0) throw AuthError.BadRequest(ApiKeyErrors.NoValuesToUpdate);

        row.LastRequest = now;
        if (row.Remaining is { } current) row.Remaining = Math.Max(0, current - 1);
        row.UpdatedAt = now;
        foreach (var change in changes) change(row);
        await ctx.Db.SaveChangesAsync(aborted);
        await tx.CommitAsync(aborted);
        ctx.Db.Entry(row).State = EntityState.Detached;
        await verifier.SweepExpiredAsync(ctx);
        return AuthResult.Json(ApiKeyJson.View(row));
    }
}
