using BetterAuth.Plugins.OneTimeToken;

namespace BetterAuth;

/// <summary>Enables the OneTimeToken plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class OneTimeTokenBuilderExtensions
{
    /// <summary>
    /// Better Auth's one-time-token plugin: a single-use token that stands for the caller's session, to hand a session to another client. Options bind from <c>Plugins:OneTimeToken</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:OneTimeToken</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddOneTimeToken(this BetterAuthBuilder builder, Action<OneTimeTokenOptions>? configure = null) =>
        builder.AddPlugin<OneTimeTokenOptions>("OneTimeToken", options => new OneTimeTokenPlugin(options), configure);
}
