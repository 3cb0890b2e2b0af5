using System.Text.Json;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>
/// Any OpenID Connect provider (Keycloak, Auth0, Okta, Authentik, a company IdP...), configured by its discovery URL:
/// authorization, token and user-info endpoints, issuer and signing keys are read from the discovery document (each
/// overridable). PKCE by default; the profile comes from the ID token's standard claims, or from the user-info
/// endpoint when the token lacks them. Client ID tokens are verified against the discovered keys.
/// </summary>
internal sealed class OidcProvider : OAuthProvider
{
    private static readonly string[] DefaultScopes = ["openid", "email", "profile"];
    private readonly OidcMetadata? _metadata;

    public OidcProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : base(id, options, services)
    {
        if (!string.IsNullOrEmpty(options.DiscoveryUrl))
            _metadata = new OidcMetadata(Http, options.DiscoveryUrl, isDiscovery: true, Timeout);
        else if (!string.IsNullOrEmpty(options.JwksUri))
            _metadata = new OidcMetadata(Http, options.JwksUri, isDiscovery: false, Timeout);
        if (_metadata is not null)
            IdTokens = new IdTokenValidator(_metadata, services.Time, options.Issuer is { Length: > 0 } iss ? [iss] : [],
                [options.ClientId!, .. options.IdTokenAudiences]);
    }

    public override string Name => Options.Name ?? Id;
    public override bool UsesPkce => Options.Pkce;
    public override IdTokenValidator? IdTokens { get; }
    protected override string TokenEndpoint => Options.TokenEndpoint ?? "";

    public override async Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct)
    {
        var endpoint = Options.AuthorizationEndpoint ?? (await DiscoveryAsync(ct))?.AuthorizationEndpoint;
        if (string.IsNullOrEmpty(endpoint)) throw new OAuthProviderException("The provider's discovery document names no authorization endpoint");
        return BuildAuthorizationUrl(endpoint, request, Scopes(DefaultScopes, request.Scopes), loginHint: request.LoginHint, prompt: Options.Prompt);
    }

    public override async Task<OAuthTokens> ValidateAuthorizationCodeAsync(string code, string? codeVerifier, string redirectUri,
        string? deviceId, CancellationToken ct) =>
        await ExchangeCodeAsync(await TokenEndpointAsync(ct), code, UsesPkce ? codeVerifier : null, redirectUri, deviceId, ct);

    public override async Task<OAuthTokens> RefreshAccessTokenAsync(string refreshToken, CancellationToken ct) =>
        await RefreshAsync(Options.RefreshTokenEndpoint ?? await TokenEndpointAsync(ct), refreshToken, null, ct);

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        // The ID token (verified, or straight from the token endpoint over TLS) is enough when it names the email too.
        var idClaims = JwtPayload.Decode(tokens.IdToken);
        var subject = idClaims is { } c ? JwtPayload.String(c, "sub") : null;
        if (idClaims is not null && string.IsNullOrEmpty(subject)) return null;
        if (idClaims is { } claims && JwtPayload.String(claims, "email") is not null) return FromClaims(claims);

        string? url;
        try { url = Options.UserInfoEndpoint ?? (await DiscoveryAsync(ct))?.UserInfoEndpoint; }
        catch (OAuthProviderException) { return null; }
        if (string.IsNullOrEmpty(url) || tokens.AccessToken is null) return null;
        JsonElement profile;
        try { profile = await Http.GetJsonAsync(url, Timeout, tokens.AccessToken, ct); }
        catch (OAuthProviderException) { return null; }
        if (profile.ValueKind != JsonValueKind.Object || JwtPayload.String(profile, "sub") is not { Length: > 0 } profileSubject) return null;
        // OpenID Connect Core §5.3.2: the user-info answer counts only when it is about the ID token's subject. The access
        // token may be a client's (ID-token sign-in), so without this an ID token of one person and an access token of
        // another would sign in as the other.
        if (subject is not null && !string.Equals(profileSubject, subject, StringComparison.Ordinal)) return null;
        return FromClaims(profile);
    }

    private static OAuthUserInfo FromClaims(JsonElement claims)
    {
        var name = JwtPayload.String(claims, "name");
        if (string.IsNullOrEmpty(name))
            name = $"{JwtPayload.String(claims, "given_name")} {JwtPayload.String(claims, "family_name")}".Trim();
        if (string.IsNullOrEmpty(name)) name = JwtPayload.String(claims, "preferred_username");
        return new OAuthUserInfo
        {
            Id = JwtPayload.String(claims, "sub")!,
            Name = string.IsNullOrEmpty(name) ? null : name,
            Email = JwtPayload.String(claims, "email"),
            Image = JwtPayload.String(claims, "picture"),
            EmailVerified = JwtPayload.Bool(claims, "email_verified") ?? false,
            Data = claims,
        };
    }

    private async Task<string> TokenEndpointAsync(CancellationToken ct)
    {
        var endpoint = Options.TokenEndpoint ?? (await DiscoveryAsync(ct))?.TokenEndpoint;
        return string.IsNullOrEmpty(endpoint) ? throw new OAuthProviderException("The provider's discovery document names no token endpoint") : endpoint;
    }

    private async Task<OpenIdConnectConfiguration?> DiscoveryAsync(CancellationToken ct) =>
        string.IsNullOrEmpty(Options.DiscoveryUrl) || _metadata is null ? null : await _metadata.GetAsync(ct);
}
