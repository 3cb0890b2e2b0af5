using BetterAuth.Plugins.Passkey;

namespace BetterAuth;

/// <summary>Enables the Passkey plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class PasskeyBuilderExtensions
{
    /// <summary>
    /// Better Auth's passkey plugin: WebAuthn registration and sign-in (relying party from <c>RpId</c>/<c>RpName</c>/<c>Origin</c>).
    /// Options bind from <c>Plugins:Passkey</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Passkey</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddPasskey(this BetterAuthBuilder builder, Action<PasskeyOptions>? configure = null) =>
        builder.AddPlugin<PasskeyOptions>("Passkey", options => new PasskeyPlugin(options), configure);
}
