using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>Google (social-providers/google.ts): PKCE, the profile read from the ID token, ID-token sign-in against Google's keys.</summary>
internal sealed class GoogleProvider : OAuthProvider
{
    public const string DefaultAuthorizationEndpoint = "https://accounts.google.com/o/oauth2/auth";
    public const string DefaultTokenEndpoint = "https://oauth2.googleapis.com/token";
    public const string DefaultRefreshEndpoint = "https://www.googleapis.com/oauth2/v4/token";
    public const string DefaultJwksUri = "https://www.googleapis.com/oauth2/v3/certs";
    private static readonly string[] GoogleIssuers = ["https://accounts.google.com", "accounts.google.com"];

    public GoogleProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : base(id, options, services)
    {
        var metadata = new OidcMetadata(Http, options.JwksUri ?? DefaultJwksUri, isDiscovery: false, Timeout);
        IdTokens = new IdTokenValidator(metadata, services.Time, options.Issuer is { } iss ? [iss] : GoogleIssuers,
            [options.ClientId!, .. options.IdTokenAudiences]);
    }

    public override string Name => Options.Name ?? "Google";
    public override bool UsesPkce => true;
    public override IdTokenValidator? IdTokens { get; }
    protected override string TokenEndpoint => Options.TokenEndpoint ?? DefaultTokenEndpoint;

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(Options.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint, request,
            Scopes(["email", "profile", "openid"], request.Scopes), loginHint: request.LoginHint, prompt: Options.Prompt,
            display: Options.Display, hd: Options.HostedDomain, accessType: Options.AccessType,
            extra: [new("include_granted_scopes", "true")]));

    public override Task<OAuthTokens> RefreshAccessTokenAsync(string refreshToken, CancellationToken ct) =>
        RefreshAsync(Options.RefreshTokenEndpoint ?? Options.TokenEndpoint ?? DefaultRefreshEndpoint, refreshToken, null, ct);

    protected override Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        if (JwtPayload.Decode(tokens.IdToken) is not { } claims || JwtPayload.String(claims, "sub") is not { } sub)
            return Task.FromResult<OAuthUserInfo?>(null);
        // The authorization request's hd is only a hint the user can strip: the token's claim decides.
        if (!AcceptClaims(claims)) return Task.FromResult<OAuthUserInfo?>(null);
        return Task.FromResult<OAuthUserInfo?>(new OAuthUserInfo
        {
            Id = sub,
            Name = JwtPayload.String(claims, "name"),
            Email = JwtPayload.String(claims, "email"),
            Image = JwtPayload.String(claims, "picture"),
            EmailVerified = JwtPayload.Bool(claims, "email_verified") ?? false,
            Data = claims,
        });
    }

    /// <summary>With a hosted domain configured, the token must name it (<c>*</c>: any Workspace domain).</summary>
    protected override bool AcceptClaims(JsonElement claims) => Options.HostedDomain switch
    {
        null or "" => true,
        "*" => JwtPayload.String(claims, "hd") is { Length: > 0 },
        var domain => string.Equals(JwtPayload.String(claims, "hd"), domain, StringComparison.OrdinalIgnoreCase),
    };
}
