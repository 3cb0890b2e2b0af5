using StackExchange.Redis;

namespace BetterAuth.Core.Storage.Redis;

/// <summary>
/// <see cref="ISessionCache"/> on Redis, with Better Auth's keys: the session token → <c>{"user","session"}</c> JSON
/// expiring with the session (or after <see cref="SecondaryStorageOptions.SessionCacheMaxAge"/>, if sooner), and
/// <c>active-sessions-&lt;userId&gt;</c> listing the user's cached tokens.
/// Each step is one Lua script, so it is atomic on the server. The scripts read several keys, so this needs a
/// single Redis server (or a primary with replicas), not Redis Cluster.
/// </summary>
internal sealed class RedisSessionCache(RedisConnection redis) : ISessionCache
{
    /// <summary>How long a reader may take between its database read and its fill.</summary>
    private const int LeaseMs = 10_000;
    /// <summary>How long a user-wide invalidation refuses older fills; longer than any lease lives.</summary>
    private const int UserMarkerMs = 3 * LeaseMs;

    // Scripts run with effects replication (the default since Redis 5), so TIME may precede writes.
    private const string NowMs = "local t = redis.call('TIME') local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

    /// <summary>Hit → {1, json}; miss → {2, lease} with a lease "random:server-ms", or {0} when another reader holds it.</summary>
    private const string GetScript = NowMs + """

        local v = redis.call('GET', KEYS[1])
        if v then return {1, v} end
        local lease = ARGV[1] .. ':' .. now_ms
        if redis.call('SET', KEYS[2], lease, 'NX', 'PX', ARGV[2]) then return {2, lease} end
        return {0}
        """;

    /// <summary>
    /// Stores the entry only if the lease is still the caller's (no token invalidation since) and no user-wide
    /// invalidation happened at or after the lease was taken; then lists the token under the user as Better Auth does.
    /// </summary>
    private const string FillScript = """
        if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[2])
        local leased_at = tonumber(string.match(ARGV[1], ':(%d+)$')) or 0
        local invalidated_at = tonumber(redis.call('GET', KEYS[4]) or '0') or 0
        if invalidated_at >= leased_at then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        local now = tonumber(ARGV[6])
        local list = {}
        local raw = redis.call('GET', KEYS[3])
        if raw then
          local ok, parsed = pcall(cjson.decode, raw)
          if ok and type(parsed) == 'table' then
            for _, e in ipairs(parsed) do
              if type(e) == 'table' and type(e.token) == 'string' and e.token ~= ARGV[4]
                 and tonumber(e.expiresAt) and tonumber(e.expiresAt) > now then
                table.insert(list, e)
              end
            end
          end
        end
        table.insert(list, { token = ARGV[4], expiresAt = tonumber(ARGV[5]) })
        local keep = tonumber(ARGV[3])
        local left = redis.call('PTTL', KEYS[3])
        if left > keep then keep = left end
        redis.call('SET', KEYS[3], cjson.encode(list), 'PX', keep)
        return 1
        """;

    /// <summary>Marks the user invalidated now, drops their list and returns the tokens it named.</summary>
    private const string ForgetUserScript = NowMs + """

        redis.call('SET', KEYS[2], now_ms, 'PX', ARGV[1])
        local tokens = {}
        local raw = redis.call('GET', KEYS[1])
        redis.call('DEL', KEYS[1])
        if raw then
          local ok, parsed = pcall(cjson.decode, raw)
          if ok and type(parsed) == 'table' then
            for _, e in ipairs(parsed) do
              if type(e) == 'table' and type(e.token) == 'string' then table.insert(tokens, e.token) end
            end
          end
        end
        return tokens
        """;

    public async Task<SessionCacheLookup> GetAsync(string token)
    {
        using var span = RedisSpans.Start(redis, "EVAL", "session_cache.get");
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(GetScript,
                [redis.Session(token), redis.Lease(token)], [Crypto.RandomStrings.Id(), LeaseMs]))!;
        }
        catch (Exception e) { RedisSpans.Failed(span, e); throw; }
        return (int)result[0] switch
        {
            1 => new SessionCacheLookup((string?)result[1], null),
            2 => new SessionCacheLookup(null, (string?)result[1]),
            _ => new SessionCacheLookup(null, null),
        };
    }

    public async Task<bool> FillAsync(string token, string lease, string userId, string json, DateTime expiresAt, DateTime now)
    {
        var ttlMs = (long)Math.Min((expiresAt - now).TotalMilliseconds, redis.SessionCacheMaxAge.TotalMilliseconds);
        if (ttlMs <= 0) return false;
        using var span = RedisSpans.Start(redis, "EVAL", "session_cache.fill");
        try
        {
            var filled = await redis.Database.ScriptEvaluateAsync(FillScript,
                [redis.Session(token), redis.Lease(token), redis.ActiveSessions(userId), redis.UserInvalidated(userId)],
                [lease, json, ttlMs, token, JsDate.ToUnixMs(expiresAt), JsDate.ToUnixMs(now)]);
            return (int)filled == 1;
        }
        catch (Exception e) { RedisSpans.Failed(span, e); throw; }
    }

    public async Task ForgetAsync(IReadOnlyCollection<string> tokens)
    {
        using var span = RedisSpans.Start(redis, "DEL", "session_cache.forget");
        try { await Task.WhenAll(tokens.Distinct().Select(t => redis.Database.KeyDeleteAsync([redis.Session(t), redis.Lease(t)]))); }
        catch (Exception e) { RedisSpans.Failed(span, e); throw; }
    }

    public async Task ForgetUserAsync(string userId, IReadOnlyCollection<string> knownTokens)
    {
        RedisResult[] listed;
        using (var span = RedisSpans.Start(redis, "EVAL", "session_cache.forget_user"))
        {
            try
            {
                listed = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(ForgetUserScript,
                    [redis.ActiveSessions(userId), redis.UserInvalidated(userId)], [UserMarkerMs]))!;
            }
            catch (Exception e) { RedisSpans.Failed(span, e); throw; }
        }
        await ForgetAsync(knownTokens.Concat(listed.Select(r => (string)r!)).ToList());
    }
}
