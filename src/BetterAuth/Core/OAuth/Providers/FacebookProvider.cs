using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>
/// Facebook (social-providers/facebook.ts): no PKCE; profile from the Graph API, or from a Limited Login ID token,
/// which clients may also sign in with (checked against Facebook's keys). The email counts as verified only when
/// Facebook says so.
/// </summary>
internal sealed class FacebookProvider : OAuthProvider
{
    public const string DefaultAuthorizationEndpoint = "https://www.facebook.com/v21.0/dialog/oauth";
    public const string DefaultTokenEndpoint = "https://graph.facebook.com/oauth/access_token";
    public const string DefaultRefreshEndpoint = "https://graph.facebook.com/v18.0/oauth/access_token";
    public const string DefaultUserInfoEndpoint = "https://graph.facebook.com/me";
    public const string DefaultJwksUri = "https://www.facebook.com/.well-known/oauth/openid/jwks";
    private static readonly string[] DefaultFields = ["id", "name", "email", "picture"];

    public FacebookProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : base(id, options, services)
    {
        var metadata = new OidcMetadata(Http, options.JwksUri ?? DefaultJwksUri, isDiscovery: false, Timeout);
        IdTokens = new IdTokenValidator(metadata, services.Time, [options.Issuer ?? "https://www.facebook.com"],
            [options.ClientId!, .. options.IdTokenAudiences]);
    }

    public override string Name => Options.Name ?? "Facebook";
    public override IdTokenValidator? IdTokens { get; }
    protected override string TokenEndpoint => Options.TokenEndpoint ?? DefaultTokenEndpoint;

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(Options.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint, request,
            Scopes(["email", "public_profile"], request.Scopes), loginHint: request.LoginHint,
            extra: Options.ConfigId is { Length: > 0 } config ? [new("config_id", config)] : null));

    public override Task<OAuthTokens> RefreshAccessTokenAsync(string refreshToken, CancellationToken ct) =>
        RefreshAsync(Options.RefreshTokenEndpoint ?? Options.TokenEndpoint ?? DefaultRefreshEndpoint, refreshToken, null, ct);

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        if (JwtPayload.Decode(tokens.IdToken) is { } claims)
        {
            if (JwtPayload.String(claims, "sub") is not { } sub) return null;
            return new OAuthUserInfo
            {
                Id = sub,
                Name = JwtPayload.String(claims, "name"),
                Email = JwtPayload.String(claims, "email"),
                Image = JwtPayload.String(claims, "picture"),
                EmailVerified = false,
                Data = claims,
            };
        }

        var fields = DefaultFields.Concat(Options.Fields);
        var url = new OAuthUrl(Options.UserInfoEndpoint ?? DefaultUserInfoEndpoint).Set("fields", string.Join(",", fields)).ToString();
        JsonElement profile;
        try { profile = await Http.GetJsonAsync(url, Timeout, tokens.AccessToken, ct); }
        catch (OAuthProviderException) { return null; }
        if (profile.ValueKind != JsonValueKind.Object || JwtPayload.String(profile, "id") is not { } id) return null;
        string? picture = null;
        if (profile.TryGetProperty("picture", out var p) && p.ValueKind == JsonValueKind.Object &&
            p.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            picture = JwtPayload.String(data, "url");
        return new OAuthUserInfo
        {
            Id = id,
            Name = JwtPayload.String(profile, "name"),
            Email = JwtPayload.String(profile, "email"),
            Image = picture,
            EmailVerified = JwtPayload.Bool(profile, "email_verified") ?? false,
            Data = profile,
        };
    }
}
