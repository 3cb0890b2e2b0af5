using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.MagicLink;

/// <summary>
/// Better Auth's magic-link plugin: POST /sign-in/magic-link mails a single-use sign-in link (a <c>magic-link</c>
/// message with <c>token</c> and <c>url</c>, through the registered <c>IAuthMessageSender</c>s), and
/// GET /magic-link/verify signs the email's user in, or up. It is a primary sign-in: bans, lifecycle hooks, events and
/// the anonymous plugin's linking apply; two-factor does not intercept it (as in Better Auth 1.2.12, whose challenge
/// covers the email, username and phone-number password sign-ins).
/// </summary>
public sealed class MagicLinkPlugin(MagicLinkOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The plugin\'s options.</summary>
    public MagicLinkOptions Options { get; } = options ?? new MagicLinkOptions();

    /// <summary>Better Auth's plugin id, <c>magic-link</c>.</summary>
    public string Id => "magic-link";

    /// <summary>Registers the plugin's endpoints, hooks and rate rules.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        foreach (var e in new MagicLinkEndpoints(Options).All) builder.AddEndpoint(e);
        // One rule over both paths (Better Auth's pathMatcher), each path counted on its own.
        builder.AddRateLimit(p => p.StartsWith(MagicLinkEndpoints.SendPath, StringComparison.Ordinal) ||
                                  p.StartsWith(MagicLinkEndpoints.VerifyPath, StringComparison.Ordinal),
            new RateLimitRule(Options.EffectiveRateLimitWindow, Options.EffectiveRateLimitMax));
        builder.AddJsonTypes(MagicLinkJsonContext.Default);
    }
}
