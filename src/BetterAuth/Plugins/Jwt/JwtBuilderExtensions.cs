using BetterAuth.Plugins.Jwt;

namespace BetterAuth;

/// <summary>Enables the Jwt plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class JwtBuilderExtensions
{
    /// <summary>
    /// Better Auth's jwt plugin: <c>GET /token</c>, <c>GET /jwks</c> and the <c>set-auth-jwt</c> header on get-session, with
    /// keys in the <c>jwks</c> table. Options bind from <c>Plugins:Jwt</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:Jwt</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddJwt(this BetterAuthBuilder builder, Action<JwtOptions>? configure = null) =>
        builder.AddPlugin<JwtOptions>("Jwt", options => new JwtPlugin(options), configure);
}
