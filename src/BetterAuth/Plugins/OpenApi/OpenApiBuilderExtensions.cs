using BetterAuth.Plugins.OpenApi;

namespace BetterAuth;

/// <summary>Enables the OpenApi plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class OpenApiBuilderExtensions
{
    /// <summary>
    /// Better Auth's open-api plugin: the OpenAPI 3.1 document of the enabled endpoints and a reference page. Options bind from <c>Plugins:OpenApi</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:OpenApi</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddOpenApi(this BetterAuthBuilder builder, Action<OpenApiOptions>? configure = null) =>
        builder.AddPlugin<OpenApiOptions>("OpenApi", options => new OpenApiPlugin(options), configure);
}
