using System.Security.Cryptography;
using System.Text;
using BetterAuth.Core.Access;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>Why a key was refused: Better Auth's status, code and message, and for a rate limit when to try again (ms).</summary>
/// <param name="Status">401, or 403 for a key too short to be one.</param>
/// <param name="Code">Better Auth's code, e.g. <c>KEY_DISABLED</c>, <c>RATE_LIMITED</c>.</param>
/// <param name="Message">Better Auth's message.</param>
/// <param name="TryAgainIn">For <c>RATE_LIMITED</c>: milliseconds until the key may be used again.</param>
internal sealed record ApiKeyRefusal(int Status, string Code, string Message, long? TryAgainIn = null)
{
    internal AuthResult ToResult() =>
        AuthResult.Json(new ApiKeyErrorBody(Code, Message, TryAgainIn is { } t ? new ApiKeyErrorDetails(t) : null), Status);

    internal static ApiKeyRefusal Invalid(int status = 401) => new(status, "INVALID_API_KEY", ApiKeyErrors.InvalidApiKey);
}

/// <summary>
/// Checks a presented key as Better Auth's <c>validateApiKey</c> does and counts the use: found by its hash; enabled;
/// not expired (an expired key is deleted); granting the permissions asked for; uses left, refilled when its interval
/// has passed (an exhausted key without refill is deleted); within its rate limit. The read, the checks and the write
/// of the new counters happen in one write transaction, so concurrent uses of one key cannot both take its last use
/// or its last request of the window. A refused use changes nothing (Better Auth still counts a rate-limited use
/// against <c>remaining</c>).
/// </summary>
internal sealed class ApiKeyVerifier(ApiKeyOptions options)
{
    private long _lastSweepMs;

    /// <summary>SHA-256 of the key, base64url without padding: Better Auth's <c>defaultKeyHasher</c>, what the <c>key</c> column holds.</summary>
    public static string Hash(string key) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key's row after counting this use, or why it is refused.</summary>
    public async Task<(ApiKeyRow? Row, ApiKeyRefusal? Refusal)> VerifyAsync(AuthContext ctx, string key,
        IReadOnlyDictionary<string, string[]>? permissions = null)
    {
        // Shorter than a generated key can be: no lookup (Better Auth answers 403 here, 401 for an unknown key).
        if (key.Length < options.DefaultKeyLength) return (null, ApiKeyRefusal.Invalid(403));
        var hash = Hash(key);
        var now = ctx.Auth.Now;
        var aborted = ctx.Http.RequestAborted;
        var set = ctx.Db.Set<ApiKeyRow>();
        ApiKeyRow? row;
        ApiKeyRefusal? refusal;
        // Guarantee: every use is counted (remaining, refill, the per-key rate limit) and none passes a limit: the row
        // is read and written back under its row lock, so concurrent uses of one key count one after the other.
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync(aborted))
        {
            await ctx.Db.LockRowAsync<ApiKeyRow>(r => r.Key, hash, aborted);
            row = await set.FirstOrDefaultAsync(r => r.Key == hash, aborted);
            var delete = false;
            refusal = row is null ? ApiKeyRefusal.Invalid() : Check(row, now, permissions, out delete);
            if (row is not null && refusal is null) await ctx.Db.SaveChangesAsync(aborted);
            else if (row is not null && delete) await set.Where(r => r.Id == row.Id).ExecuteDeleteAsync(aborted);
            await tx.CommitAsync(aborted);
        }
        if (row is not null) ctx.Db.Entry(row).State = EntityState.Detached;
        await SweepExpiredAsync(ctx);
        return refusal is null ? (row, null) : (null, refusal);
    }

    /// <summary>The checks in Better Auth's order; on success the tracked row carries the new counters.</summary>
    private ApiKeyRefusal? Check(ApiKeyRow row, DateTime now, IReadOnlyDictionary<string, string[]>? permissions, out bool delete)
    {
        delete = false;
        if (row.Enabled == false) return new(401, "KEY_DISABLED", ApiKeyErrors.KeyDisabled);
        if (row.ExpiresAt is { } expires && now > expires)
        {
            delete = true;
            return new(401, "KEY_EXPIRED", ApiKeyErrors.KeyExpired);
        }
        if (permissions is not null && !Grants(row, permissions)) return new(401, "KEY_NOT_FOUND", ApiKeyErrors.KeyNotFound);

        var remaining = row.Remaining;
        var lastRefillAt = row.LastRefillAt;
        if (remaining is <= 0 && row.RefillAmount is null)
        {
            delete = true;
            return new(401, "USAGE_EXCEEDED", ApiKeyErrors.UsageExceeded);
        }
        if (remaining is not null)
        {
            // The refill interval is in milliseconds, as documented (1.2.12 compared it to days; later versions fixed it).
            if (row.RefillInterval is > 0 && row.RefillAmount is > 0 &&
                (now - (lastRefillAt ?? row.CreatedAt)).TotalMilliseconds > row.RefillInterval)
            {
                remaining = row.RefillAmount;
                lastRefillAt = now;
            }
            if (remaining <= 0) return new(401, "USAGE_EXCEEDED", ApiKeyErrors.UsageExceeded);
            remaining--;
        }

        if (RateLimit(row, now) is { } tryAgainIn) return new(401, "RATE_LIMITED", ApiKeyErrors.RateLimitExceeded, tryAgainIn);
        row.Remaining = remaining;
        row.LastRefillAt = lastRefillAt;
        return null;
    }

    /// <summary>
    /// Better Auth's per-key limit (rate-limit.ts): at most <c>rateLimitMax</c> requests while each comes within
    /// <c>rateLimitTimeWindow</c> ms of the previous one. Updates the tracked row; returns the wait in ms when refused.
    /// </summary>
    private long? RateLimit(ApiKeyRow row, DateTime now)
    {
        if (!options.RateLimit.Enabled || row.RateLimitEnabled == false)
        {
            row.LastRequest = now;
            return null;
        }
        if (row.RateLimitTimeWindow is not { } window || row.RateLimitMax is not { } max) return null;
        if (row.LastRequest is not { } last || (now - last).TotalMilliseconds > window)
        {
            row.LastRequest = now;
            row.RequestCount = 1;
            return null;
        }
        var since = (long)(now - last).TotalMilliseconds;
        var count = row.RequestCount ?? 0;
        if (count >= max) return Math.Max(0, window - since);
        row.LastRequest = now;
        row.RequestCount = count + 1;
        return null;
    }

    /// <summary>Better Auth's permission check for a key: its permissions must grant every action asked for.</summary>
    public static bool Grants(ApiKeyRow row, IReadOnlyDictionary<string, string[]> requested)
    {
        var own = ApiKeyJson.ParsePermissions(row.Permissions);
        if (own is null) return false;
        var role = new AccessRole(own.Select(p => new KeyValuePair<string, IEnumerable<string>>(p.Key, p.Value)));
        return role.Authorize(requested.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, p.Value))).Success;
    }

    /// <summary>
    /// Deletes every expired key, at most once every 10 seconds per process (Better Auth runs this after each API key
    /// operation with the same throttle), or at once when <paramref name="force"/>.
    /// </summary>
    public async Task<int> SweepExpiredAsync(AuthContext ctx, bool force = false)
    {
        var nowMs = ctx.Auth.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var last = Interlocked.Read(ref _lastSweepMs);
        if (!force && nowMs - last < 10_000) return 0;
        if (Interlocked.CompareExchange(ref _lastSweepMs, nowMs, last) != last && !force) return 0;
        var now = ctx.Auth.Now;
        return await ctx.Db.Set<ApiKeyRow>().Where(r => r.ExpiresAt != null && r.ExpiresAt < now).ExecuteDeleteAsync(ctx.Http.RequestAborted);
    }
}
