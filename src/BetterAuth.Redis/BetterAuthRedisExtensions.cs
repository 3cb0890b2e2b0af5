using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Storage.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace BetterAuth;

/// <summary>Redis secondary storage for Better Auth (package BetterAuth.Redis).</summary>
public static class BetterAuthRedisExtensions
{
    /// <summary>
    /// Caches sessions and counts rate limits in Redis under Better Auth's secondary-storage keys, so several instances
    /// share sessions, revocations and limits; the database stays the source of truth. The connection is
    /// <paramref name="configuration"/> when given (a <c>redis://</c> URL or a StackExchange.Redis configuration), else
    /// <c>BetterAuth:SecondaryStorage:Redis</c>, else the host's own <see cref="IConnectionMultiplexer"/> service.
    /// Key prefix and cache lifetime: <c>BetterAuth:SecondaryStorage:KeyPrefix</c>, <c>…:SessionCacheMaxAge</c>.
    /// </summary>
    public static BetterAuthBuilder UseRedis(this BetterAuthBuilder builder, string? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configuration is not null) builder.Configure(o => o.SecondaryStorage.Redis = configuration);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<BetterAuthOptions>().SecondaryStorage;
            if (!string.IsNullOrWhiteSpace(options.Redis)) return new RedisConnection(options);
            var shared = sp.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
                "BetterAuth: UseRedis() needs BetterAuth:SecondaryStorage:Redis (a redis:// URL) or an IConnectionMultiplexer service.");
            return new RedisConnection(shared, options);
        });
        services.TryAddSingleton<ISessionCache, RedisSessionCache>();
        // Core registered the in-memory counter; Redis counts for every instance instead (a host's own store stays).
        services.RemoveAll<IRateLimitStore>(d => d.ImplementationType == typeof(MemoryRateLimitStore));
        services.TryAddSingleton<IRateLimitStore, RedisRateLimitStore>();
        services.AddHostedService<RedisConnectOnStart>();
        // Readiness (AddHealthChecks().AddBetterAuth()): a PING; StackExchange.Redis reconnects by itself after an outage.
        services.AddSingleton(new AuthDependencyCheck("redis", async (sp, ct) =>
        {
            var redis = sp.GetRequiredService<RedisConnection>();
            await redis.ConnectedAsync().WaitAsync(ct);
            await redis.Database.PingAsync().WaitAsync(ct);
        }));
        return builder;
    }

    private static void RemoveAll<T>(this IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(T) && match(d)).ToList()) services.Remove(d);
    }

    /// <summary>Connects to Redis before the server listens, so no request waits for (or blocks on) the first connect.</summary>
    private sealed class RedisConnectOnStart(RedisConnection redis) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => redis.ConnectedAsync().WaitAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
