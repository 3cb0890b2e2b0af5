using BetterAuth.Core.Http;
using StackExchange.Redis;

namespace BetterAuth.Core.Storage.Redis;

/// <summary>
/// Rate-limit counters shared by every instance. Better Auth's own algorithm (see <see cref="MemoryRateLimitStore"/>)
/// runs inside one Lua script, so concurrent requests on any instance count exactly once each: read, decide and
/// write are atomic on the Redis server. The value is Better Auth's <c>{"key","count","lastRequest"}</c> JSON under
/// Better Auth's key (client IP + path). Unlike Better Auth, the key expires once a full window has passed since the
/// last request — the counter would restart at 1 then anyway — so idle clients leave nothing behind.
/// The clock is the application's (the <c>now</c> that <see cref="HitAsync"/> is given), like the in-memory store, not the Redis server's.
/// </summary>
internal sealed class RedisRateLimitStore(RedisConnection redis) : IRateLimitStore
{
    /// <summary>Returns {1, 0} when allowed, {0, ms until allowed} when refused.</summary>
    private const string HitScript = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local max = tonumber(ARGV[3])
        local count, last = 0, 0
        local raw = redis.call('GET', KEYS[1])
        if raw then
          local ok, v = pcall(cjson.decode, raw)
          if ok and type(v) == 'table' then
            count = tonumber(v.count) or 0
            last = tonumber(v.lastRequest) or 0
          end
        end
        local since = now - last
        if count > 0 and since < window and count >= max then return {0, window - since} end
        if count == 0 or since > window then count = 1 else count = count + 1 end
        redis.call('SET', KEYS[1], cjson.encode({ key = ARGV[4], count = count, lastRequest = now }), 'PX', window + 1000)
        return {1, 0}
        """;

    public async ValueTask<RateLimitDecision> HitAsync(string key, RateLimitRule rule, DateTimeOffset now, CancellationToken ct = default)
    {
        using var span = RedisSpans.Start(redis, "EVAL", "rate_limit.hit");
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(HitScript,
                [redis.RateLimit(key)], [now.ToUnixTimeMilliseconds(), rule.Window * 1000L, rule.Max, key]))!;
        }
        catch (Exception e) { RedisSpans.Failed(span, e); throw; }
        return (int)result[0] == 1
            ? new RateLimitDecision(true, 0)
            : new RateLimitDecision(false, (int)Math.Ceiling((long)result[1] / 1000.0));
    }
}
