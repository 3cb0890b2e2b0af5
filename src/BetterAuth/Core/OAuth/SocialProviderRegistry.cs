using BetterAuth.Core.OAuth.Providers;

namespace BetterAuth.Core.OAuth;

/// <summary>
/// The configured social providers (Better Auth's <c>ctx.context.socialProviders</c>), built once from
/// <see cref="BetterAuthOptions.SocialProviders"/>. Ids are matched exactly, as Better Auth does.
/// </summary>
internal sealed class SocialProviderRegistry
{
    /// <summary>The implementations this server has, by <see cref="SocialProviderOptions.Type"/>.</summary>
    private static readonly Dictionary<string, Func<string, SocialProviderOptions, OAuthProviderServices, OAuthProvider>> Factories = new()
    {
        ["google"] = (id, o, s) => new GoogleProvider(id, o, s),
        ["github"] = (id, o, s) => new GitHubProvider(id, o, s),
        ["microsoft"] = (id, o, s) => new MicrosoftProvider(id, o, s),
        ["apple"] = (id, o, s) => new AppleProvider(id, o, s),
        ["discord"] = (id, o, s) => new DiscordProvider(id, o, s),
        ["gitlab"] = (id, o, s) => new GitLabProvider(id, o, s),
        ["facebook"] = (id, o, s) => new FacebookProvider(id, o, s),
        ["oidc"] = (id, o, s) => new OidcProvider(id, o, s),
    };

    private readonly Dictionary<string, OAuthProvider> _providers = new(StringComparer.Ordinal);

    public SocialProviderRegistry(BetterAuthOptions options, OAuthHttp http, TimeProvider time)
    {
        var services = new OAuthProviderServices(http, time);
        foreach (var (key, provider) in Resolve(options))
            _providers[key] = Factories[provider.Type!](key, provider, services);
    }

    public IReadOnlyCollection<OAuthProvider> All => _providers.Values;

    public OAuthProvider? Find(string? id) => id is not null && _providers.TryGetValue(id, out var p) ? p : null;

    /// <summary>
    /// Checks the configuration at startup (so a mistake stops the host, not a user's sign-in) and returns the enabled
    /// providers under their canonical ids: a built-in provider's id in lower case, a generic provider's as written.
    /// </summary>
    public static List<(string Id, SocialProviderOptions Options)> Resolve(BetterAuthOptions options)
    {
        var resolved = new List<(string, SocialProviderOptions)>();
        foreach (var (rawId, provider) in options.SocialProviders)
        {
            if (provider is null || !provider.Enabled) continue;
            var id = rawId.Trim();
            var type = provider.Type?.Trim().ToLowerInvariant()
                       ?? (Factories.ContainsKey(id.ToLowerInvariant()) && !string.Equals(id, "oidc", StringComparison.OrdinalIgnoreCase) ? id.ToLowerInvariant()
                           : !string.IsNullOrEmpty(provider.DiscoveryUrl) || !string.IsNullOrEmpty(provider.AuthorizationEndpoint) ? "oidc"
                           : throw Invalid(rawId, "is not a provider this server implements; set DiscoveryUrl to use it as a generic OpenID Connect provider"));
            if (!Factories.ContainsKey(type)) throw Invalid(rawId, $"has an unknown Type '{provider.Type}' (use one of {string.Join(", ", Factories.Keys)})");
            if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw Invalid(rawId, "must be made of letters, digits, '-', '_' or '.' (it is part of the callback URL)");
            if (string.IsNullOrWhiteSpace(provider.ClientId)) throw Invalid(rawId, "needs a ClientId");
            if (type == "oidc" && string.IsNullOrEmpty(provider.DiscoveryUrl) &&
                (string.IsNullOrEmpty(provider.AuthorizationEndpoint) || string.IsNullOrEmpty(provider.TokenEndpoint)))
                throw Invalid(rawId, "needs a DiscoveryUrl, or an AuthorizationEndpoint and a TokenEndpoint");
            foreach (var (name, url) in Urls(provider))
                if (!string.IsNullOrEmpty(url) && !OidcMetadata.IsAllowed(url))
                    throw Invalid(rawId, $"{name} '{url}' must be an absolute https URL (plain http only to a loopback address)");
            if (type == "gitlab" && !string.IsNullOrEmpty(provider.Issuer) && !OidcMetadata.IsAllowed(provider.Issuer))
                throw Invalid(rawId, $"Issuer '{provider.Issuer}' must be an absolute https URL (plain http only to a loopback address)");
            if (provider.TimeoutSeconds < 1) provider.TimeoutSeconds = 1;
            provider.Type = type;
            var canonical = type == "oidc" ? id : string.Equals(type, id, StringComparison.OrdinalIgnoreCase) ? type : id;
            if (resolved.Any(r => r.Item1 == canonical)) throw Invalid(rawId, "is configured twice");
            resolved.Add((canonical, provider));
        }
        return resolved;
    }

    private static IEnumerable<(string, string?)> Urls(SocialProviderOptions p) =>
    [
        (nameof(p.AuthorizationEndpoint), p.AuthorizationEndpoint), (nameof(p.TokenEndpoint), p.TokenEndpoint),
        (nameof(p.RefreshTokenEndpoint), p.RefreshTokenEndpoint), (nameof(p.UserInfoEndpoint), p.UserInfoEndpoint),
        (nameof(p.JwksUri), p.JwksUri), (nameof(p.DiscoveryUrl), p.DiscoveryUrl),
    ];

    private static InvalidOperationException Invalid(string id, string problem) =>
        new($"BetterAuth: social provider '{id}' {problem}.");
}
