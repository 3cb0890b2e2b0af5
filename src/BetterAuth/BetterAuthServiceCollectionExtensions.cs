using BetterAuth.Core;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.OAuth;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetterAuth;

/// <summary>Registers Better Auth in a host's services (<c>builder.Services.AddBetterAuth(...)</c>).</summary>
public static class BetterAuthServiceCollectionExtensions
{
    /// <summary>
    /// Registers Better Auth with <see cref="BetterAuthOptions"/> bound from <paramref name="configuration"/> (e.g.
    /// <c>builder.Configuration.GetSection("BetterAuth")</c>), then changed by <paramref name="configure"/>. The options
    /// are validated when the host starts; a bad setting stops it with a message that names the setting. Plugin options
    /// bind from <c>Plugins:&lt;Name&gt;</c> under the same section. Choose the storage on the returned builder
    /// (<c>UseSqlite()</c>, <c>UsePostgreSql()</c> or <c>UseDbContext&lt;T&gt;()</c>) and map the API with
    /// <c>app.MapBetterAuth()</c>.
    /// </summary>
    public static BetterAuthBuilder AddBetterAuth(this IServiceCollection services, IConfiguration configuration,
        Action<BetterAuthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCore(services, configuration);
        if (configure is not null) services.Configure(configure);
        builder.AddPluginsListedIn(Probe(configuration, configure));
        return builder;
    }

    /// <summary>
    /// Registers Better Auth with options set by <paramref name="configure"/> (applied through <c>IOptions</c>, so
    /// <c>services.Configure&lt;BetterAuthOptions&gt;</c> elsewhere also applies). Replace <see cref="IPasswordHasher"/>,
    /// <see cref="IRateLimitStore"/> or <see cref="TimeProvider"/>, or add <see cref="IAuthMessageSender"/>s, by
    /// registering your own before or after this call.
    /// </summary>
    public static BetterAuthBuilder AddBetterAuth(this IServiceCollection services, Action<BetterAuthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services, null);
        services.Configure(configure);
        builder.AddPluginsListedIn(Probe(null, configure));
        return builder;
    }

    /// <summary>Registers Better Auth with options already built (copied into <c>IOptions&lt;BetterAuthOptions&gt;</c>).</summary>
    public static BetterAuthBuilder AddBetterAuth(this IServiceCollection services, BetterAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = AddCore(services, null);
        services.AddSingleton<IOptionsFactory<BetterAuthOptions>>(sp => new FixedOptionsFactory(options,
            sp.GetServices<IConfigureOptions<BetterAuthOptions>>(), sp.GetServices<IPostConfigureOptions<BetterAuthOptions>>(),
            sp.GetServices<IValidateOptions<BetterAuthOptions>>()));
        builder.AddPluginsListedIn(options);
        return builder;
    }

    /// <summary>
    /// The options as the callback leaves them, made now so the plugins it lists can register their services (the
    /// callback runs again, as every <c>IOptions</c> setup does, when the options are resolved).
    /// </summary>
    private static BetterAuthOptions Probe(IConfiguration? configuration, Action<BetterAuthOptions>? configure)
    {
        var probe = new BetterAuthOptions();
        configuration?.Bind(probe);
        configure?.Invoke(probe);
        return probe;
    }

    private static BetterAuthBuilder AddCore(IServiceCollection services, IConfiguration? configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(BetterAuthRegistration)))
            throw new InvalidOperationException("BetterAuth: AddBetterAuth was called twice on the same services.");
        var registration = new BetterAuthRegistration(configuration);
        services.AddSingleton(registration);

        var optionsBuilder = services.AddOptions<BetterAuthOptions>();
        if (configuration is not null) optionsBuilder.Bind(configuration);
        optionsBuilder.PostConfigure(registration.UseConfiguredPlugins);
        services.AddSingleton<IValidateOptions<BetterAuthOptions>, BetterAuthOptionsValidator>();
        optionsBuilder.ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BetterAuthOptions>>().Value);
        services.AddSingleton(sp => registration.Complete(sp.GetRequiredService<BetterAuthOptions>()));

        services.TryAddSingleton(TimeProvider.System);
        // Metrics on the host's IMeterFactory (ASP.NET Core's hosts register one; AddMetrics adds it where missing).
        services.AddMetrics();
        services.TryAddSingleton(sp => new Core.Telemetry.AuthMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<IPasswordHasher>(sp => new ScryptPasswordHasher(
            sp.GetRequiredService<BetterAuthOptions>().EmailAndPassword.MaxConcurrentPasswordHashes, sp.GetRequiredService<Core.Telemetry.AuthMetrics>()));
        services.TryAddSingleton<IRateLimitStore, MemoryRateLimitStore>();
        services.AddSingleton(sp => new RateLimitPolicy(sp.GetRequiredService<BetterAuthOptions>(), sp.GetRequiredService<AuthRegistry>().RateRules));
        services.AddSingleton(sp => new AuthRuntime(sp.GetRequiredService<BetterAuthOptions>(), sp.GetRequiredService<AuthRegistry>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IPasswordHasher>(), sp.GetService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetService<AuthDatabaseProvider>(),
            // Remote senders (SMTP, SMS) deliver from the outbox table, which is then part of the model.
            outbox: sp.GetServices<IAuthMessageSender>().Any(s => s.DeliversInBackground))
        { SessionCache = sp.GetService<ISessionCache>(), Metrics = sp.GetRequiredService<Core.Telemetry.AuthMetrics>() });
        services.AddSingleton<AuthPipeline>();
        services.AddSingleton<Core.Tokens.EmailVerificationTokens>();
        services.TryAddSingleton<AuthMessenger>();
        // The host integration: BetterAuthApi (server-side calls) and the authorization policies' handlers.
        services.AddBetterAuthHostServices();
        OAuthHttp.Register(services);
        services.AddSingleton(sp => new SocialProviderRegistry(sp.GetRequiredService<BetterAuthOptions>(), sp.GetRequiredService<OAuthHttp>(),
            sp.GetRequiredService<TimeProvider>()));

        // The library's own context, unless the host maps the tables into its own (UseDbContext<T> removes these).
        var before = services.ToList();
        services.AddDbContextPool<AuthDbContext>((sp, db) =>
        {
            var provider = sp.GetService<AuthDatabaseProvider>() ?? throw AuthDatabaseProvider.Missing();
            var options = sp.GetRequiredService<BetterAuthOptions>();
            provider.Configure(sp, db, options.Database);
            db.UseBetterAuth(sp, provider.IsPostgres);
        });
        registration.OwnContextServices.AddRange(services.Except(before));
        services.AddHostedService<MigrateOnStartService>();
        // After the migration, which may create the outbox table; stopped before it (hosted services stop in reverse).
        services.AddSingleton<MessageDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageDispatcher>());
        services.AddSingleton(AuthDependencyCheck.Database()); // probed by AddHealthChecks().AddBetterAuth()
        return new BetterAuthBuilder(services, registration);
    }

    /// <summary>
    /// Creates or extends the tables of core and the enabled plugins (idempotent): what <c>migrate</c> does, and what
    /// <see cref="DatabaseOptions.MigrateOnStart"/> runs at start. With <paramref name="dryRun"/> nothing is changed
    /// and the report carries the SQL that would run.
    /// </summary>
    public static async Task<MigrationReport> MigrateBetterAuthAsync(this IServiceProvider services, bool dryRun = false, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await SchemaMigrator.MigrateAsync(db, dryRun, ct);
    }

    /// <summary>
    /// The SQL that <see cref="MigrateBetterAuthAsync"/> would run on the configured database, as an idempotent script
    /// for review (see <see cref="SchemaMigrator.ScriptAsync"/>). Nothing is changed.
    /// </summary>
    public static async Task<string> ScriptBetterAuthMigrationAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await SchemaMigrator.ScriptAsync(scope.ServiceProvider.GetRequiredService<AuthDbContext>(), ct);
    }

    /// <summary>
    /// After a secret rotation (a new current entry in <see cref="BetterAuthOptions.Secrets"/>, the old one still listed),
    /// rewrites every stored ciphertext — two-factor secrets and backup codes, queued messages — with the current secret,
    /// <paramref name="batchSize"/> rows at a time. Safe while servers run (each value is replaced only if unchanged since
    /// it was read) and idempotent. Once the report shows nothing <see cref="SecretReencryptionReport.Unreadable"/>, no
    /// stored value needs an older secret. Every server must list the new secret before this runs.
    /// </summary>
    public static async Task<SecretReencryptionReport> ReencryptBetterAuthSecretsAsync(this IServiceProvider services, int batchSize = 500,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return await SecretReencryption.RunAsync(services, [], batchSize, ct);
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

    /// <summary>Options built by the host (the <see cref="BetterAuthOptions"/> overload), still post-configured and validated.</summary>
    private sealed class FixedOptionsFactory(BetterAuthOptions options, IEnumerable<IConfigureOptions<BetterAuthOptions>> setups,
        IEnumerable<IPostConfigureOptions<BetterAuthOptions>> postConfigures, IEnumerable<IValidateOptions<BetterAuthOptions>> validations)
        : OptionsFactory<BetterAuthOptions>(setups, postConfigures, validations)
    {
        protected override BetterAuthOptions CreateInstance(string name) => options;
    }

    private sealed class MigrateOnStartService(IServiceProvider services, BetterAuthOptions options,
        ILogger<MigrateOnStartService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            if (!options.Database.MigrateOnStart) return;
            var report = await services.MigrateBetterAuthAsync(ct: ct);
            Core.Telemetry.CoreLog.Migrated(logger, report);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
