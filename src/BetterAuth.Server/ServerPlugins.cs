using BetterAuth.Core.Plugins;

namespace BetterAuth.Server;

/// <summary>
/// The plugins the standalone server can run, each switched by <c>Plugins:&lt;Name&gt;:Enabled</c> (default
/// on, except those in <see cref="OffByDefault"/>) and configured from the rest of its section (bound onto the plugin's options class), e.g.
/// <c>Plugins__TwoFactor__Enabled=false</c>.
/// </summary>
internal static class ServerPlugins
{
    /// <summary>Name → factory from the plugin's configuration section. One line per plugin.</summary>
    private static readonly (string Name, Func<IConfigurationSection, IBetterAuthPlugin> Create)[] Catalog =
    [
        ("TwoFactor", s => new BetterAuth.Plugins.TwoFactor.TwoFactorPlugin(Bind<BetterAuth.Plugins.TwoFactor.TwoFactorOptions>(s))),
        ("Username", s => new BetterAuth.Plugins.Username.UsernamePlugin(Bind<BetterAuth.Plugins.Username.UsernameOptions>(s))),
        ("Anonymous", s => new BetterAuth.Plugins.Anonymous.AnonymousPlugin(Bind<BetterAuth.Plugins.Anonymous.AnonymousOptions>(s))),
        ("PhoneNumber", s => { var o = BetterAuth.Plugins.PhoneNumber.PhoneNumberOptions.StandaloneServerDefaults(); s.Bind(o); return new BetterAuth.Plugins.PhoneNumber.PhoneNumberPlugin(o); }),
        ("EmailOtp", s => new BetterAuth.Plugins.EmailOtp.EmailOtpPlugin(Bind<BetterAuth.Plugins.EmailOtp.EmailOtpOptions>(s))),
        ("MagicLink", s => new BetterAuth.Plugins.MagicLink.MagicLinkPlugin(Bind<BetterAuth.Plugins.MagicLink.MagicLinkOptions>(s))),
        ("Admin", s => new BetterAuth.Plugins.Admin.AdminPlugin(Bind<BetterAuth.Plugins.Admin.AdminOptions>(s))),
        ("Organization", s => new BetterAuth.Plugins.Organization.OrganizationPlugin(Bind<BetterAuth.Plugins.Organization.OrganizationOptions>(s))),
        ("Passkey", s => new BetterAuth.Plugins.Passkey.PasskeyPlugin(Bind<BetterAuth.Plugins.Passkey.PasskeyOptions>(s))),
        // After two-factor and anonymous: its cookie hook must see a session two-factor withheld as withheld.
        ("MultiSession", s => new BetterAuth.Plugins.MultiSession.MultiSessionPlugin(Bind<BetterAuth.Plugins.MultiSession.MultiSessionOptions>(s))),
        ("OneTimeToken", s => new BetterAuth.Plugins.OneTimeToken.OneTimeTokenPlugin(Bind<BetterAuth.Plugins.OneTimeToken.OneTimeTokenOptions>(s))),
        ("OpenApi", s => new BetterAuth.Plugins.OpenApi.OpenApiPlugin(Bind<BetterAuth.Plugins.OpenApi.OpenApiOptions>(s))),
        ("Jwt", s => new BetterAuth.Plugins.Jwt.JwtPlugin(Bind<BetterAuth.Plugins.Jwt.JwtOptions>(s))),
        ("ApiKey", s => new BetterAuth.Plugins.ApiKey.ApiKeyPlugin(Bind<BetterAuth.Plugins.ApiKey.ApiKeyOptions>(s))),
    ];

    /// <summary>
    /// Plugins that stay off unless <c>Plugins:&lt;Name&gt;:Enabled=true</c>, because each changes answers clients
    /// already get or issues credentials: multi-session changes the cookies of every sign-in and makes sign-out end every
    /// account of the browser; one-time tokens hand a session to whoever holds one; Jwt adds a header to every
    /// get-session; ApiKey answers any request carrying an <c>x-api-key</c> header as the key's user, or refuses it.
    /// </summary>
    private static readonly HashSet<string> OffByDefault = ["MultiSession", "OneTimeToken", "Jwt", "ApiKey"];

    public static IEnumerable<IBetterAuthPlugin> Enabled(IConfiguration config)
    {
        foreach (var (name, create) in Catalog)
        {
            var section = config.GetSection($"Plugins:{name}");
            if (section.GetValue("Enabled", !OffByDefault.Contains(name))) yield return create(section);
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
