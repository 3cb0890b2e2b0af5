using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.OneTimeToken;

/// <summary>
/// Better Auth's one-time-token plugin: GET /one-time-token/generate (signed in) makes a token that
/// POST /one-time-token/verify exchanges, once and within minutes, for the session it was made from.
/// </summary>
public sealed class OneTimeTokenPlugin(OneTimeTokenOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The plugin\'s options.</summary>
    public OneTimeTokenOptions Options { get; } = options ?? new OneTimeTokenOptions();

    /// <summary>Better Auth's plugin id, <c>one-time-token</c>.</summary>
    public string Id => "one-time-token";

    /// <summary>Registers the plugin's endpoints, hooks and rate rules.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        foreach (var e in new OneTimeTokenEndpoints(Options).All) builder.AddEndpoint(e);
        builder.AddJsonTypes(OneTimeTokenJsonContext.Default);
    }
}
