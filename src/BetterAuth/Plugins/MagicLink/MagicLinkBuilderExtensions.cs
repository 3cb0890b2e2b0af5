using BetterAuth.Plugins.MagicLink;

namespace BetterAuth;

/// <summary>Enables the MagicLink plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class MagicLinkBuilderExtensions
{
    /// <summary>
    /// Better Auth's magic-link plugin: sign-in (and sign-up) by a single-use link sent by mail. Options bind from <c>Plugins:MagicLink</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:MagicLink</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddMagicLink(this BetterAuthBuilder builder, Action<MagicLinkOptions>? configure = null) =>
        builder.AddPlugin<MagicLinkOptions>("MagicLink", options => new MagicLinkPlugin(options), configure);
}
