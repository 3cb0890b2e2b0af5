using BetterAuth.Plugins.TwoFactor;

namespace BetterAuth;

/// <summary>Enables the TwoFactor plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class TwoFactorBuilderExtensions
{
    /// <summary>
    /// Better Auth's two-factor plugin: TOTP, mailed codes, backup codes and trusted devices. Options bind from <c>Plugins:TwoFactor</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:TwoFactor</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddTwoFactor(this BetterAuthBuilder builder, Action<TwoFactorOptions>? configure = null) =>
        builder.AddPlugin<TwoFactorOptions>("TwoFactor", options => new TwoFactorPlugin(options), configure);
}
