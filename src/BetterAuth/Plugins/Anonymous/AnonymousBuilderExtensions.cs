using BetterAuth.Plugins.Anonymous;

namespace BetterAuth;

/// <summary>Enables the Anonymous plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class AnonymousBuilderExtensions
{
    /// <summary>
    /// Better Auth's anonymous plugin: sign in without credentials, link the account later. Options bind from <c>Plugins:Anonymous</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Anonymous</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddAnonymous(this BetterAuthBuilder builder, Action<AnonymousOptions>? configure = null) =>
        builder.AddPlugin<AnonymousOptions>("Anonymous", options => new AnonymousPlugin(options), configure);
}
