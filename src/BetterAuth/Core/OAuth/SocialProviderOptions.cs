namespace BetterAuth.Core.OAuth;

/// <summary>
/// One social provider (Better Auth's <c>socialProviders.&lt;id&gt;</c>). Every endpoint defaults to the provider's real
/// one and can be overridden, for tests and self-hosted deployments (GitLab, a tenant-specific Entra ID, a proxy).
/// </summary>
public sealed class SocialProviderOptions
{
    /// <summary>Set false to keep the configuration but not serve the provider. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Which implementation serves this entry: <c>google</c>, <c>github</c>, <c>microsoft</c>, <c>apple</c>,
    /// <c>discord</c>, <c>gitlab</c>, <c>facebook</c> or <c>oidc</c> (generic OpenID Connect). Default: the entry's id
    /// when it names one of these, else <c>oidc</c> when <see cref="DiscoveryUrl"/> is set.
    /// </summary>
    public string? Type { get; set; }

    /// <summary>Shown nowhere by Better Auth, kept for hosts. Default: the provider's own name, or the id.</summary>
    public string? Name { get; set; }

    /// <summary>The OAuth client id.</summary>
    public string? ClientId { get; set; }
    /// <summary>The OAuth client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes requested besides the provider's defaults (Better Auth's <c>scope</c>).</summary>
    public List<string> Scope { get; set; } = new();
    /// <summary>Request only <see cref="Scope"/> and the per-request scopes, not the provider's defaults.</summary>
    public bool DisableDefaultScope { get; set; }
    /// <summary>A fixed redirect URI registered with the provider. Default <c>{baseURL}/callback/{id}</c>.</summary>
    public string? RedirectUri { get; set; }
    /// <summary>The <c>prompt</c> authorization parameter (<c>select_account</c>, <c>consent</c>, <c>login</c>, <c>none</c>).</summary>
    public string? Prompt { get; set; }

    /// <summary>Refuse ID tokens sent by clients (<c>/sign-in/social</c> with <c>idToken</c>).</summary>
    public bool DisableIdTokenSignIn { get; set; }
    /// <summary>Create users only when the sign-in asks for it with <c>requestSignUp: true</c>.</summary>
    public bool DisableImplicitSignUp { get; set; }
    /// <summary>Never create users through this provider; existing users still sign in.</summary>
    public bool DisableSignUp { get; set; }
    /// <summary>Overwrite the user's name, image and email with the provider's at each sign-in. Default false.</summary>
    public bool OverrideUserInfoOnSignIn { get; set; }

    /// <summary>How long one call to the provider may take, in seconds, before the flow fails. Default 10.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    // ---- endpoint overrides -------------------------------------------------------------------

    /// <summary>Overrides the provider's authorization endpoint.</summary>
    public string? AuthorizationEndpoint { get; set; }
    /// <summary>Overrides the provider's token endpoint.</summary>
    public string? TokenEndpoint { get; set; }
    /// <summary>Where refresh-token grants go when the provider uses another endpoint than <see cref="TokenEndpoint"/>.</summary>
    public string? RefreshTokenEndpoint { get; set; }
    /// <summary>Overrides the provider's user-info endpoint.</summary>
    public string? UserInfoEndpoint { get; set; }
    /// <summary>The provider's signing keys, for ID-token verification.</summary>
    public string? JwksUri { get; set; }
    /// <summary>The <c>iss</c> an ID token must carry.</summary>
    public string? Issuer { get; set; }
    /// <summary>An OpenID Connect discovery document (<c>…/.well-known/openid-configuration</c>): endpoints, issuer and keys come from it.</summary>
    public string? DiscoveryUrl { get; set; }
    /// <summary>More audiences accepted in client ID tokens besides <see cref="ClientId"/> (e.g. the iOS and Android client ids).</summary>
    public List<string> IdTokenAudiences { get; set; } = new();

    // ---- provider-specific ----------------------------------------------------------------------

    /// <summary>Generic OIDC: send a PKCE challenge. Default true.</summary>
    public bool Pkce { get; set; } = true;
    /// <summary>Microsoft: the Entra ID tenant (<c>common</c>, <c>organizations</c>, <c>consumers</c> or a tenant id). Default <c>common</c>.</summary>
    public string? TenantId { get; set; }
    /// <summary>Microsoft: size of the profile photo fetched from Graph. Default 48.</summary>
    public int ProfilePhotoSize { get; set; } = 48;
    /// <summary>Do not copy the provider's profile picture onto the user.</summary>
    public bool DisableProfilePhoto { get; set; }
    /// <summary>Google: <c>offline</c> to get a refresh token.</summary>
    public string? AccessType { get; set; }
    /// <summary>Google: <c>page</c>, <c>popup</c>, <c>touch</c>, <c>wap</c>.</summary>
    public string? Display { get; set; }
    /// <summary>Google: restrict sign-in to one Workspace domain (checked on the token's <c>hd</c> claim, not only hinted).</summary>
    public string? HostedDomain { get; set; }
    /// <summary>Apple: the app bundle id, the audience of ID tokens issued to the native app.</summary>
    public string? AppBundleIdentifier { get; set; }
    /// <summary>Facebook: profile fields requested besides id, name, email and picture.</summary>
    public List<string> Fields { get; set; } = new();
    /// <summary>Facebook: a Login for Business configuration id.</summary>
    public string? ConfigId { get; set; }

    /// <summary>Adjusts the user built from the provider's profile (Better Auth's <c>mapProfileToUser</c>).</summary>
    public Func<OAuthUserInfo, OAuthUserInfo>? MapProfileToUser { get; set; }
}
