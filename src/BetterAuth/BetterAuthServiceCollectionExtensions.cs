using BetterAuth.Core;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.OAuth;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Endpoints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BetterAuth;

public static class BetterAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers Better Auth: options, the core endpoints and every plugin in <see cref="BetterAuthOptions.Plugins"/>,
    /// storage (EF Core; SQLite by default), password hashing, rate limiting. Map it with <c>app.MapBetterAuth()</c>.
    /// Replace <see cref="IPasswordHasher"/>, <see cref="IRateLimitStore"/>, <see cref="TimeProvider"/> or add
    /// <see cref="IAuthMessageSender"/>s by registering your own before or after this call.
    /// </summary>
    public static IServiceCollection AddBetterAuth(this IServiceCollection services, Action<BetterAuthOptions> configure)
    {
        var options = new BetterAuthOptions();
        configure(options);
        return services.AddBetterAuth(options);
    }

    /// <summary>Registers Better Auth with options already built (e.g. bound from configuration).</summary>
    public static IServiceCollection AddBetterAuth(this IServiceCollection services, BetterAuthOptions options)
    {
        var registry = new AuthRegistry();
        registry.Schema.AddSessionField(Core.Sessions.SessionExpiryCap.Field);
        CoreEndpoints.Register(registry);
        foreach (var plugin in options.Plugins)
            plugin.Configure(new AuthPluginBuilder(registry, services, options, plugin.Id));

        services.AddSingleton(options);
        services.AddSingleton(registry);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher>(_ => new ScryptPasswordHasher());
        if (!string.IsNullOrWhiteSpace(options.SecondaryStorage.Redis))
        {
            services.TryAddSingleton(_ => new Core.Storage.Redis.RedisConnection(options.SecondaryStorage));
            services.TryAddSingleton<ISessionCache, Core.Storage.Redis.RedisSessionCache>();
            services.TryAddSingleton<IRateLimitStore, Core.Storage.Redis.RedisRateLimitStore>();
            services.AddHostedService<RedisConnectOnStart>();
        }
        services.TryAddSingleton<IRateLimitStore, MemoryRateLimitStore>();
        services.AddSingleton(sp => new RateLimitPolicy(options, registry.RateRules));
        services.AddSingleton(sp => new AuthRuntime(options, registry, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IPasswordHasher>(), sp.GetService<IHostEnvironment>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()) { SessionCache = sp.GetService<ISessionCache>() });
        services.AddSingleton<AuthPipeline>();
        services.AddSingleton<Core.Tokens.EmailVerificationTokens>();
        services.TryAddSingleton<AuthMessenger>();
        // The host integration: BetterAuthApi (server-side calls) and the authorization policies' handlers.
        services.AddBetterAuthHostServices();
        // Social providers: checked now, so a configuration mistake stops the host instead of failing a user's sign-in.
        SocialProviderRegistry.Resolve(options);
        OAuthHttp.Register(services);
        services.AddSingleton(sp => new SocialProviderRegistry(options, sp.GetRequiredService<OAuthHttp>(), sp.GetRequiredService<TimeProvider>()));

        services.AddDbContextPool<AuthDbContext>((sp, db) =>
        {
            ConfigureProvider(db, options.Database);
            db.AddInterceptors(new StorageTransactionInterceptor(options.Database.IsPostgres));
            if (options.Database.IsPostgres) db.AddInterceptors(new PostgresTextInterceptor());
            db.UseAuthModel(sp.GetRequiredService<AuthRuntime>().Model);
        });
        services.AddHostedService<MigrateOnStartService>();
        return services;
    }

    private static void ConfigureProvider(DbContextOptionsBuilder db, DatabaseOptions database)
    {
        if (database.IsSqlite) db.UseSqlite(database.ConnectionString);
        else if (database.IsPostgres) db.UseNpgsql(PostgresConnectionString(database.ConnectionString));
        else throw new InvalidOperationException($"BetterAuth: unknown database provider '{database.Provider}'. Supported: sqlite, postgres.");
    }

    /// <summary>
    /// Turns on Npgsql's automatic statement preparation unless the connection string sets it: the same few lookups
    /// (session by token, user by email…) run on every request, and a prepared statement skips their planning.
    /// </summary>
    private static string PostgresConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <summary>Creates or extends the tables for the enabled plugins (idempotent). The server's <c>migrate</c> command calls this.</summary>
    public static async Task<MigrationReport> MigrateBetterAuthAsync(this IServiceProvider services, bool dryRun = false, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await SchemaMigrator.MigrateAsync(db, dryRun, ct);
    }

    /// <summary>
    /// Drops the shared session cache's copies of a user's sessions (a no-op without Redis secondary storage). Call it
    /// after changing a user or their sessions outside Better Auth's endpoints (a server command, a script, SQL), so
    /// every instance reads the new rows at once rather than when the cached copies expire.
    /// </summary>
    public static async Task ForgetCachedSessionsAsync(this IServiceProvider services, string userId)
    {
        if (services.GetService<ISessionCache>() is not { } cache) return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var tokens = await db.Sessions.Where(s => s.UserId == userId).Select(s => s.Token).ToListAsync();
        await cache.ForgetUserAsync(userId, tokens);
    }

    /// <summary>Connects to Redis before the server listens, so no request waits for (or blocks on) the first connect.</summary>
    private sealed class RedisConnectOnStart(Core.Storage.Redis.RedisConnection redis) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => redis.ConnectedAsync().WaitAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class MigrateOnStartService(IServiceProvider services, BetterAuthOptions options,
        Microsoft.Extensions.Logging.ILogger<MigrateOnStartService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            if (!options.Database.MigrateOnStart) return;
            var report = await services.MigrateBetterAuthAsync(ct: ct);
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "BetterAuth migration: {Report}", report);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
