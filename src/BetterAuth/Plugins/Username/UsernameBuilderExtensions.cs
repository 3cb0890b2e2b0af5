using BetterAuth.Plugins.Username;

namespace BetterAuth;

/// <summary>Enables the Username plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class UsernameBuilderExtensions
{
    /// <summary>
    /// Better Auth's username plugin: sign in with a username and password. Options bind from <c>Plugins:Username</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Username</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddUsername(this BetterAuthBuilder builder, Action<UsernameOptions>? configure = null) =>
        builder.AddPlugin<UsernameOptions>("Username", options => new UsernamePlugin(options), configure);
}
