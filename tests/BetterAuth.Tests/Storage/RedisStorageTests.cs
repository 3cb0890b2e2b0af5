using System.Text.Json.Nodes;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage.Redis;
using BetterAuth.Tests.Support;
using StackExchange.Redis;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// Redis secondary storage as several instances see it: hosts sharing one PostgreSQL schema and one Redis key
/// space, Better Auth's key layout, the fill leases that keep revoked sessions out, and shared rate-limit counters.
/// </summary>
public sealed class RedisStorageTests
{
    private static readonly TestStorage Shared = new(Postgres: true, Redis: true);

    private static Task<AuthTestHost> SecondInstanceAsync(AuthTestHost first) => AuthTestHost.StartAsync(o =>
    {
        o.Database.Provider = first.Runtime.Options.Database.Provider;
        o.Database.ConnectionString = first.Runtime.Options.Database.ConnectionString;
        o.SecondaryStorage.KeyPrefix = first.Runtime.Options.SecondaryStorage.KeyPrefix;
    }, storage: Shared);

    private static IDatabase Redis(out ConnectionMultiplexer connection)
    {
        connection = ConnectionMultiplexer.Connect(TestServices.Redis);
        return connection.GetDatabase();
    }

    private static TestClient WithCookies(AuthTestHost host, TestClient from)
    {
        var client = host.Client();
        foreach (var (name, value) in from.Cookies) client.Cookies[name] = value;
        return client;
    }

    [Fact]
    public async Task SessionFromOneInstance_WorksOnAnother_AndARevocationThereIsSeenAtOnce()
    {
        await using var a = await AuthTestHost.StartAsync(storage: Shared);
        await using var b = await SecondInstanceAsync(a);
        var onA = a.Client();
        var signUp = await onA.SignUpAsync("multi@example.com");
        var token = signUp["token"]!.GetValue<string>();
        Assert.Equal("multi@example.com", (await onA.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());

        var onB = WithCookies(b, onA);
        Assert.Equal(token, (await onB.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());
        Assert.Equal(200, (await onB.PostAsync("/revoke-session", new { token })).Status);

        // A served this session from the shared cache a moment ago; now it must refuse it.
        Assert.Null((await onA.GetAsync("/get-session")).Json);
        Assert.Null((await onB.GetAsync("/get-session")).Json);
    }

    [Fact]
    public async Task CachedSession_UsesBetterAuthsKeys()
    {
        await using var host = await AuthTestHost.StartAsync(storage: Shared);
        var client = host.Client();
        var signUp = await client.SignUpAsync("layout@example.com");
        var token = signUp["token"]!.GetValue<string>();
        var userId = signUp["user"]!["id"]!.GetValue<string>();
        await client.GetAsync("/get-session");

        var prefix = host.Runtime.Options.SecondaryStorage.KeyPrefix;
        var db = Redis(out var connection);
        using var _ = connection;
        var cached = JsonNode.Parse((string)(await db.StringGetAsync(prefix + token))!)!;
        Assert.Equal(token, cached["session"]!["token"]!.GetValue<string>());
        Assert.Equal("layout@example.com", cached["user"]!["email"]!.GetValue<string>());
        Assert.Equal("2026-01-22T12:00:00.000Z", cached["session"]!["expiresAt"]!.GetValue<string>());
        var ttl = await db.KeyTimeToLiveAsync(prefix + token);
        Assert.InRange(ttl!.Value.TotalSeconds, 590, 600); // capped by SessionCacheMaxAge
        var list = JsonNode.Parse((string)(await db.StringGetAsync(prefix + "active-sessions-" + userId))!)!.AsArray();
        Assert.Equal(token, Assert.Single(list)!["token"]!.GetValue<string>());

        // Sign-out drops the entry.
        await client.PostAsync("/sign-out");
        Assert.False(await db.KeyExistsAsync(prefix + token));
    }

    [Fact]
    public async Task AFillThatReadBeforeAnInvalidation_IsRefused()
    {
        var prefix = $"lease-{Guid.NewGuid():N}:";
        using var redis = new RedisConnection(new SecondaryStorageOptions { Redis = TestServices.Redis, KeyPrefix = prefix });
        var cache = new RedisSessionCache(redis);
        var now = DateTime.UtcNow;

        var first = await cache.GetAsync("tok");
        Assert.Null(first.Json);
        Assert.NotNull(first.Lease);
        Assert.Null((await cache.GetAsync("tok")).Lease); // one reader fills at a time
        await cache.ForgetAsync(["tok"]); // the session changed after the first reader read it
        Assert.False(await cache.FillAsync("tok", first.Lease!, "u1", "{}", now.AddHours(1), now));

        var second = await cache.GetAsync("tok");
        await cache.ForgetUserAsync("u1", []); // the user changed: fills leased before this are refused too
        Assert.False(await cache.FillAsync("tok", second.Lease!, "u1", "{}", now.AddHours(1), now));

        await Task.Delay(5); // a lease taken after the invalidation (next millisecond) fills
        var third = await cache.GetAsync("tok");
        Assert.True(await cache.FillAsync("tok", third.Lease!, "u1", "{\"cached\":1}", now.AddHours(1), now));
        Assert.Equal("{\"cached\":1}", (await cache.GetAsync("tok")).Json);
        await cache.ForgetUserAsync("u1", []); // listed under the user by the fill, so dropped with the user
        Assert.Null((await cache.GetAsync("tok")).Json);
    }

    [Fact]
    public async Task RateLimitCounters_AreSharedAndAtomic()
    {
        var prefix = $"rate-{Guid.NewGuid():N}:";
        var options = new SecondaryStorageOptions { Redis = TestServices.Redis, KeyPrefix = prefix };
        using var one = new RedisConnection(options);
        using var two = new RedisConnection(options);
        var stores = new[] { new RedisRateLimitStore(one), new RedisRateLimitStore(two) };
        var rule = new RateLimitRule(10, 3);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => stores[i % 2].HitAsync("1.2.3.4/sign-in/email", rule, now).AsTask()));
        Assert.Equal(3, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(10, d.RetryAfterSeconds));

        var db = Redis(out var connection);
        using var _ = connection;
        var stored = JsonNode.Parse((string)(await db.StringGetAsync(prefix + "1.2.3.4/sign-in/email"))!)!;
        Assert.Equal(3, stored["count"]!.GetValue<int>());
        Assert.Equal(1_800_000_000_000, stored["lastRequest"]!.GetValue<long>());
        Assert.Equal("1.2.3.4/sign-in/email", stored["key"]!.GetValue<string>());

        // Refused 4 s later with 6 s to go; allowed again (count restarts) once the window has passed.
        Assert.Equal(new RateLimitDecision(false, 6), await stores[0].HitAsync("1.2.3.4/sign-in/email", rule, now.AddSeconds(4)));
        Assert.True((await stores[1].HitAsync("1.2.3.4/sign-in/email", rule, now.AddMilliseconds(10_001))).Allowed);
        Assert.Equal(1, JsonNode.Parse((string)(await db.StringGetAsync(prefix + "1.2.3.4/sign-in/email"))!)!["count"]!.GetValue<int>());
        // Other keys count on their own.
        Assert.True((await stores[0].HitAsync("5.6.7.8/sign-in/email", rule, now)).Allowed);
    }

    [Fact]
    public async Task SignInRateLimit_CountsRequestsToEveryInstance()
    {
        await using var a = await AuthTestHost.StartAsync(o => o.RateLimit.Enabled = true, storage: Shared);
        await using var b = await AuthTestHost.StartAsync(o =>
        {
            o.RateLimit.Enabled = true;
            o.Database.ConnectionString = a.Runtime.Options.Database.ConnectionString;
            o.SecondaryStorage.KeyPrefix = a.Runtime.Options.SecondaryStorage.KeyPrefix;
        }, storage: Shared);
        var statuses = new List<int>();
        foreach (var host in new[] { a, b, a, b })
            statuses.Add((await host.Client().PostAsync("/sign-in/email", new { email = "nobody@example.com", password = "password123" })).Status);
        Assert.Equal([401, 401, 401, 429], statuses);
    }
}
