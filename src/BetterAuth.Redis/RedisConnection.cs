using StackExchange.Redis;

namespace BetterAuth.Core.Storage.Redis;

/// <summary>
/// The one Redis connection of an auth instance (StackExchange.Redis multiplexes every command over it), and the
/// key names, which follow Better Auth's secondary-storage layout behind an optional prefix.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly Task<IConnectionMultiplexer> _connecting;
    /// <summary>False for the host's own multiplexer, which the host disposes.</summary>
    private readonly bool _owned = true;

    public string KeyPrefix { get; }
    public TimeSpan SessionCacheMaxAge { get; }
    /// <summary>The (first) server, for telemetry.</summary>
    public System.Net.EndPoint? EndPoint { get; }

    public RedisConnection(SecondaryStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
            throw new InvalidOperationException("BetterAuth: SecondaryStorage.Redis is not set.");
        var configuration = Parse(options.Redis);
        EndPoint = configuration.EndPoints.FirstOrDefault();
        KeyPrefix = options.KeyPrefix ?? "";
        SessionCacheMaxAge = TimeSpan.FromSeconds(Math.Max(1, options.SessionCacheMaxAge));
        // Starts connecting at once (ConnectAsync; RedisConnectOnStart awaits it before the server listens) and
        // reconnects by itself; until it is connected, commands fail (and so do the requests that need them) rather
        // than silently skipping a shared rate limit or a cache invalidation. A synchronous connect on the first
        // request used to block every concurrent request behind it and starve the thread pool for seconds.
        _connecting = ConnectAsync(configuration);
    }

    /// <summary>Uses the host's own connection (an <see cref="IConnectionMultiplexer"/> service), which it keeps owning.</summary>
    public RedisConnection(IConnectionMultiplexer multiplexer, SecondaryStorageOptions options)
    {
        KeyPrefix = options.KeyPrefix ?? "";
        SessionCacheMaxAge = TimeSpan.FromSeconds(Math.Max(1, options.SessionCacheMaxAge));
        _connecting = Task.FromResult(multiplexer);
        _owned = false;
        EndPoint = multiplexer.GetEndPoints().FirstOrDefault();
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration) =>
        await ConnectionMultiplexer.ConnectAsync(configuration);

    /// <summary>Completes when the first connection attempt has ended (connected or not: it keeps retrying).</summary>
    public Task ConnectedAsync() => _connecting;

    public IDatabase Database => (_connecting.IsCompletedSuccessfully ? _connecting.Result : _connecting.GetAwaiter().GetResult()).GetDatabase();

    /// <summary>Better Auth's key of a session: the token itself.</summary>
    public RedisKey Session(string token) => KeyPrefix + token;
    /// <summary>
    /// The fill lease of a session. The hash tag (<c>{…}</c>) puts it in the same cluster slot as the session key,
    /// whose slot is that of the token itself.
    /// </summary>
    public RedisKey Lease(string token) => "{" + KeyPrefix + token + "}:lease";
    /// <summary>Better Auth's list of a user's sessions: <c>[{"token":…,"expiresAt":ms}]</c>.</summary>
    public RedisKey ActiveSessions(string userId) => KeyPrefix + "active-sessions-" + userId;
    /// <summary>When the user's sessions were last invalidated as a whole (Redis server time, ms).</summary>
    public RedisKey UserInvalidated(string userId) => KeyPrefix + "sessions-invalidated-" + userId;
    /// <summary>Better Auth's rate-limit key: client IP + path.</summary>
    public RedisKey RateLimit(string key) => KeyPrefix + key;

    /// <summary>
    /// A StackExchange.Redis configuration (<c>host:port,password=…,ssl=true</c>) or a URL
    /// <c>redis://[user:password@]host[:port][/db]</c> (<c>rediss://</c> for TLS).
    /// </summary>
    public static ConfigurationOptions Parse(string value)
    {
        value = value.Trim();
        ConfigurationOptions options;
        if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw new InvalidOperationException("BetterAuth: the Redis URL is not valid.");
            options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            options.EndPoints.Add(uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : 6379);
            if (uri.UserInfo.Length > 0)
            {
                var parts = uri.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    if (parts[0].Length > 0) options.User = Uri.UnescapeDataString(parts[0]);
                    options.Password = Uri.UnescapeDataString(parts[1]);
                }
                else options.Password = Uri.UnescapeDataString(parts[0]);
            }
            var db = uri.AbsolutePath.Trim('/');
            if (db.Length > 0)
                options.DefaultDatabase = int.TryParse(db, out var n) && n >= 0 ? n : throw new InvalidOperationException("BetterAuth: the Redis URL's database must be a number.");
        }
        else options = ConfigurationOptions.Parse(value);
        options.AbortOnConnectFail = false;
        return options;
    }

    public void Dispose()
    {
        if (_owned && _connecting.IsCompletedSuccessfully) _connecting.Result.Dispose();
    }
}
