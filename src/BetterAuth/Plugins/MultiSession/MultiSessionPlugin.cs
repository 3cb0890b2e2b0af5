using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.MultiSession;

/// <summary>
/// Better Auth's multi-session plugin: several accounts signed in on one browser. Every sign-in adds a signed
/// <c>better-auth.session_token_multi-&lt;token&gt;</c> cookie; /multi-session/list-device-sessions lists those accounts,
/// /multi-session/set-active switches the session cookie between them, /multi-session/revoke signs one out, and
/// /sign-out signs out all of them. Register it after plugins whose after-hooks may withdraw a new session (two-factor).
/// </summary>
public sealed class MultiSessionPlugin(MultiSessionOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The plugin\'s options.</summary>
    public MultiSessionOptions Options { get; } = options ?? new MultiSessionOptions();

    /// <summary>Better Auth's plugin id, <c>multi-session</c>.</summary>
    public string Id => "multi-session";

    /// <summary>Registers the plugin's endpoints, hooks and rate rules.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        foreach (var e in MultiSessionEndpoints.All) builder.AddEndpoint(e);
        var hooks = new DeviceSessionHooks(Options);
        builder.After(_ => true, hooks.AddDeviceCookieAsync);
        builder.After(ctx => ctx.Path == "/sign-out", DeviceSessionHooks.SignOutEverywhereAsync);
        builder.AddJsonTypes(MultiSessionJsonContext.Default);
    }
}
