using BetterAuth.Plugins.ApiKey;

namespace BetterAuth;

/// <summary>Enables the ApiKey plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class ApiKeyBuilderExtensions
{
    /// <summary>
    /// Better Auth's api-key plugin: <c>/api-key/*</c> operations, and requests carrying an <c>x-api-key</c> header
    /// answered as the key's user (also by the ASP.NET Core scheme). Options bind from <c>Plugins:ApiKey</c> under the
    /// Better Auth configuration section (e.g. <c>BetterAuth:Plugins:ApiKey</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddApiKey(this BetterAuthBuilder builder, Action<ApiKeyOptions>? configure = null) =>
        builder.AddPlugin<ApiKeyOptions>("ApiKey", options => new ApiKeyPlugin(options), configure);
}
