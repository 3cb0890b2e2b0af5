using System.Collections.Concurrent;

namespace BetterAuth.Core.Http;

/// <summary>Counts requests per key (client IP + path). Memory by default; a shared store (Redis) plugs in here.</summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request and says whether it is allowed; when refused, how many seconds until it would be.</summary>
    ValueTask<RateLimitDecision> HitAsync(string key, RateLimitRule rule, DateTimeOffset now, CancellationToken ct = default);
}

/// <summary>Whether a request is <paramref name="Allowed"/>, and if not, seconds until it would be (<paramref name="RetryAfterSeconds"/>).</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="RetryAfterSeconds">Seconds until a refused client may try again.</param>
public readonly record struct RateLimitDecision(bool Allowed, int RetryAfterSeconds);

/// <summary>
/// Better Auth's algorithm (rate-limiter/index.ts): refused while fewer than <c>window</c> seconds have passed since the
/// last allowed request and the count has reached <c>max</c>; otherwise the count restarts at 1 once a window has
/// passed, else grows. Every allowed request moves <c>lastRequest</c>, so the window slides.
/// </summary>
internal sealed class MemoryRateLimitStore : IRateLimitStore
{
    private sealed class Entry { public int Count; public long LastRequestMs; }
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private long _lastSweepMs;

    public ValueTask<RateLimitDecision> HitAsync(string key, RateLimitRule rule, DateTimeOffset now, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var windowMs = rule.Window * 1000L;
        Sweep(nowMs, windowMs);
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            var since = nowMs - entry.LastRequestMs;
            if (entry.Count > 0 && since < windowMs && entry.Count >= rule.Max)
                return ValueTask.FromResult(new RateLimitDecision(false, (int)Math.Ceiling((windowMs - since) / 1000.0)));
            entry.Count = entry.Count == 0 || since > windowMs ? 1 : entry.Count + 1;
            entry.LastRequestMs = nowMs;
            return ValueTask.FromResult(new RateLimitDecision(true, 0));
        }
    }

    /// <summary>Drops entries idle for a long time, so a scan of many IPs cannot grow memory without bound.</summary>
    private void Sweep(long nowMs, long windowMs)
    {
        var last = Interlocked.Read(ref _lastSweepMs);
        if (nowMs - last < 60_000 || Interlocked.CompareExchange(ref _lastSweepMs, nowMs, last) != last) return;
        var horizon = Math.Max(windowMs, 600_000);
        foreach (var (key, entry) in _entries)
            if (nowMs - entry.LastRequestMs > horizon) _entries.TryRemove(key, out _);
    }
}

/// <summary>Which rule applies to a path: custom rules, then plugin rules, then the built-in strict rule, then the default.</summary>
internal sealed class RateLimitPolicy(BetterAuthOptions options, IReadOnlyList<Plugins.RateRuleRegistration> pluginRules)
{
    private static readonly string[] StrictPrefixes = ["/sign-in", "/sign-up", "/change-password", "/change-email"];
    private readonly RateLimitRule _default = new(options.RateLimit.Window, options.RateLimit.Max);
    private readonly RateLimitRule _strict = new(10, 3);

    /// <summary>The rule for a path, or null when the path is not limited.</summary>
    public RateLimitRule? RuleFor(string path)
    {
        foreach (var (pattern, rule) in options.RateLimit.CustomRules)
            if (PathMatches(pattern, path)) return rule;
        foreach (var r in pluginRules)
            if (r.Matches(path)) return r.Rule;
        foreach (var prefix in StrictPrefixes)
            if (path.StartsWith(prefix, StringComparison.Ordinal)) return _strict;
        return _default;
    }

    private static bool PathMatches(string pattern, string path)
    {
        if (!pattern.Contains('*')) return pattern == path;
        var prefix = pattern[..pattern.IndexOf('*')];
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
