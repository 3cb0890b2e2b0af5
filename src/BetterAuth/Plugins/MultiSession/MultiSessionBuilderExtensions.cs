using BetterAuth.Plugins.MultiSession;

namespace BetterAuth;

/// <summary>Enables the MultiSession plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class MultiSessionBuilderExtensions
{
    /// <summary>
    /// Better Auth's multi-session plugin: several signed-in accounts in one browser, each with its own signed cookie. Options bind from <c>Plugins:MultiSession</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:MultiSession</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddMultiSession(this BetterAuthBuilder builder, Action<MultiSessionOptions>? configure = null) =>
        builder.AddPlugin<MultiSessionOptions>("MultiSession", options => new MultiSessionPlugin(options), configure);
}
