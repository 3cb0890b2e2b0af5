using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BetterAuth;

/// <summary>
/// Returned by <c>AddBetterAuth</c>: chooses the storage (<c>UseSqlite</c>, <c>UsePostgreSql</c>, <see cref="UseDbContext{TContext}"/>),
/// secondary storage (<c>UseRedis</c>), mail delivery (<c>UseMailKit</c>) and plugins (<c>AddTwoFactor</c>, <c>AddAdmin</c>, …).
/// The extension methods come from the packages that bring each feature.
/// </summary>
public sealed class BetterAuthBuilder
{
    private readonly BetterAuthRegistration _registration;

    internal BetterAuthBuilder(IServiceCollection services, BetterAuthRegistration registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration section the options are bound from, or null when they come from code only.</summary>
    public IConfiguration? Configuration => _registration.Configuration;

    /// <summary>Changes the options after configuration binding (same as <c>services.Configure&lt;BetterAuthOptions&gt;</c>).</summary>
    public BetterAuthBuilder Configure(Action<BetterAuthOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Enables a plugin. Its <see cref="IBetterAuthPlugin.Configure"/> runs now, so it may register services. Plugins run
    /// in the order they are added, before those listed in <see cref="BetterAuthOptions.Plugins"/>.
    /// </summary>
    public BetterAuthBuilder AddPlugin(IBetterAuthPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _registration.Add(plugin, Services);
        return this;
    }

    /// <summary>
    /// Enables a plugin configured by an options class: bound from <c>Plugins:&lt;<paramref name="name"/>&gt;</c> of the
    /// Better Auth configuration section (when there is one), then changed by <paramref name="configure"/>, and also
    /// registered as <c>IOptions&lt;TOptions&gt;</c>. Plugin packages call this from their <c>AddXxx()</c> extension.
    /// </summary>
    public BetterAuthBuilder AddPlugin<TOptions>(string name, Func<TOptions, IBetterAuthPlugin> create, Action<TOptions>? configure = null,
        TOptions? defaults = null) where TOptions : class, new()
    {
        var options = defaults ?? new TOptions();
        Configuration?.GetSection($"Plugins:{name}").Bind(options);
        configure?.Invoke(options);
        Services.TryAddSingleton<IOptions<TOptions>>(Microsoft.Extensions.Options.Options.Create(options));
        return AddPlugin(create(options));
    }

    /// <summary>
    /// Serves Better Auth from the host's own EF Core context, which derives from <see cref="AuthDbContext"/> and is
    /// registered by the host with <c>AddDbContext&lt;TContext&gt;((sp, o) =&gt; o.UseSqlite(…).UseBetterAuth(sp))</c>.
    /// Better Auth's tables (core and the enabled plugins) are then part of the host's model and of its own EF Core
    /// migrations; set <see cref="DatabaseOptions.MigrateOnStart"/> only if Better Auth should also create them.
    /// </summary>
    public BetterAuthBuilder UseDbContext<TContext>() where TContext : AuthDbContext
    {
        // Drops the library's own pooled context (its options, pool and leases), so nothing (EF tools included) builds it.
        foreach (var d in _registration.OwnContextServices) Services.Remove(d);
        _registration.OwnContextServices.Clear();
        Services.AddScoped<AuthDbContext>(sp => sp.GetRequiredService<TContext>());
        Services.Replace(ServiceDescriptor.Singleton(new AuthDatabaseProvider(HostContext: typeof(TContext))));
        return this;
    }

    /// <summary>Adds the plugins of options made at registration (the callback's or the host's own instance).</summary>
    internal void AddPluginsListedIn(BetterAuthOptions options)
    {
        foreach (var plugin in options.Plugins) _registration.Add(plugin, Services, listedInOptions: true);
    }

    /// <summary>Registers the database provider a storage package brings (BetterAuth.Sqlite, BetterAuth.PostgreSql).</summary>
    internal BetterAuthBuilder UseDatabase(AuthDatabaseProvider provider)
    {
        Services.Replace(ServiceDescriptor.Singleton(provider));
        Services.PostConfigure<BetterAuthOptions>(o => o.Database.Provider = provider.Name);
        return this;
    }
}

/// <summary>One <c>AddBetterAuth</c> call: the registry its plugins fill, and which plugins have been configured.</summary>
internal sealed class BetterAuthRegistration(IConfiguration? configuration)
{
    private readonly HashSet<IBetterAuthPlugin> _configured = new(ReferenceEqualityComparer.Instance);
    private bool _completed;

    public IConfiguration? Configuration { get; } = configuration;
    public AuthRegistry Registry { get; } = NewRegistry();
    public List<IBetterAuthPlugin> BuilderPlugins { get; } = new();
    /// <summary>What registering the library's own pooled context added (removed again by UseDbContext).</summary>
    public List<ServiceDescriptor> OwnContextServices { get; } = new();
    /// <summary>Plugins found in the options at registration; their later copies (the callback runs again) are dropped.</summary>
    private readonly List<IBetterAuthPlugin> _listed = new();

    private static AuthRegistry NewRegistry()
    {
        var registry = new AuthRegistry();
        registry.Schema.AddSessionField(Core.Sessions.SessionExpiryCap.Field);
        // Queued messages carry links and codes, encrypted with the auth secret (the table exists only with remote senders).
        registry.EncryptedColumns.Add(new EncryptedColumn(typeof(Core.Messaging.OutboxRow), nameof(Core.Messaging.OutboxRow.Payload)));
        Endpoints.CoreEndpoints.Register(registry);
        return registry;
    }

    public void Add(IBetterAuthPlugin plugin, IServiceCollection services, bool listedInOptions = false)
    {
        if (_completed) throw new InvalidOperationException("BetterAuth: plugins cannot be added once the host is built.");
        if (!_configured.Add(plugin)) return;
        BuilderPlugins.Add(plugin);
        if (listedInOptions) _listed.Add(plugin);
        plugin.Configure(new AuthPluginBuilder(Registry, services, plugin.Id));
    }

    /// <summary>
    /// Makes <see cref="BetterAuthOptions.Plugins"/> list the configured plugin instances: those added at registration
    /// first, in order, replacing the copies a re-run callback made (same type and id), then any added later.
    /// </summary>
    public void UseConfiguredPlugins(BetterAuthOptions options)
    {
        var later = options.Plugins.Where(p => !BuilderPlugins.Contains(p) &&
                                               !_listed.Any(l => l.GetType() == p.GetType() && l.Id == p.Id)).ToList();
        options.Plugins.Clear();
        options.Plugins.AddRange(BuilderPlugins);
        options.Plugins.AddRange(later);
    }

    /// <summary>
    /// Configures the plugins listed in <see cref="BetterAuthOptions.Plugins"/> that were not added on the builder, and
    /// freezes the registry. They run when the options are first resolved, too late to register services.
    /// </summary>
    public AuthRegistry Complete(BetterAuthOptions options)
    {
        lock (_configured)
        {
            if (_completed) return Registry;
            _completed = true;
            var frozen = new ServiceCollection();
            frozen.MakeReadOnly();
            foreach (var plugin in options.Plugins.Where(p => _configured.Add(p)))
            {
                try { plugin.Configure(new AuthPluginBuilder(Registry, frozen, plugin.Id)); }
                catch (InvalidOperationException e) when (frozen.IsReadOnly && e.Message.Contains("read-only", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"BetterAuth: the plugin '{plugin.Id}' registers services, so it must be added on the builder " +
                        "(AddBetterAuth(...).AddPlugin(plugin) or its AddXxx() method), not through BetterAuthOptions.Plugins.", e);
                }
            }
            return Registry;
        }
    }
}
