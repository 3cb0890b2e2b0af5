using BetterAuth.Core.Plugins;

namespace BetterAuth.Server;

/// <summary>
/// The plugins the standalone server can run, each switched by <c>Plugins:&lt;Name&gt;:Enabled</c> (default
/// on) and configured from the rest of its section (bound onto the plugin's options class), e.g.
/// <c>Plugins__TwoFactor__Enabled=false</c>.
/// </summary>
internal static class ServerPlugins
{
    /// <summary>Name → factory from the plugin's configuration section. One line per plugin.</summary>
    private static readonly (string Name, Func<IConfigurationSection, IBetterAuthPlugin> Create)[] Catalog =
    [
    ];

    public static IEnumerable<IBetterAuthPlugin> Enabled(IConfiguration config)
    {
        foreach (var (name, create) in Catalog)
        {
            var section = config.GetSection($"Plugins:{name}");
            if (section.GetValue("Enabled", true)) yield return create(section);
        }
    }

    /// <summary>Binds a plugin's options class from its section (the Enabled key is ignored by the binder).</summary>
    public static T Bind<T>(IConfigurationSection section) where T : new()
    {
        var options = new T();
        section.Bind(options);
        return options;
    }
}
