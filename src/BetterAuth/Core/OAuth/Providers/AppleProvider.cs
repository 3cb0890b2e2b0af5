using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>
/// Sign in with Apple (social-providers/apple.ts): the answer is form-posted to the callback (<c>response_mode=form_post</c>),
/// the profile comes from the ID token, and the name only from the <c>user</c> field Apple posts at first consent.
/// Client ID tokens are checked against Apple's keys; the audience is the app bundle id when configured.
/// </summary>
internal sealed class AppleProvider : OAuthProvider
{
    public const string DefaultAuthorizationEndpoint = "https://appleid.apple.com/auth/authorize";
    public const string DefaultTokenEndpoint = "https://appleid.apple.com/auth/token";
    public const string DefaultJwksUri = "https://appleid.apple.com/auth/keys";
    public const string AppleIssuer = "https://appleid.apple.com";

    public AppleProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : base(id, options, services)
    {
        var metadata = new OidcMetadata(Http, options.JwksUri ?? DefaultJwksUri, isDiscovery: false, Timeout);
        var audience = string.IsNullOrEmpty(options.AppBundleIdentifier) ? options.ClientId! : options.AppBundleIdentifier;
        IdTokens = new IdTokenValidator(metadata, services.Time, [options.Issuer ?? AppleIssuer], [audience, .. options.IdTokenAudiences],
            maxTokenAge: TimeSpan.FromHours(1), acceptHashedNonce: true);
    }

    public override string Name => Options.Name ?? "Apple";
    public override IdTokenValidator? IdTokens { get; }
    protected override string TokenEndpoint => Options.TokenEndpoint ?? DefaultTokenEndpoint;

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(Options.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint, request,
            Scopes(["email", "name"], request.Scopes), responseMode: "form_post", responseType: "code id_token"));

    protected override Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        if (JwtPayload.Decode(tokens.IdToken) is not { } claims || JwtPayload.String(claims, "sub") is not { } sub)
            return Task.FromResult<OAuthUserInfo?>(null);
        var email = JwtPayload.String(claims, "email");
        string? name;
        if (formUser is { ValueKind: JsonValueKind.Object } user && user.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.Object)
            name = $"{JwtPayload.String(n, "firstName")} {JwtPayload.String(n, "lastName")}".Trim();
        else name = JwtPayload.String(claims, "name") is { Length: > 0 } claimed ? claimed : email;
        return Task.FromResult<OAuthUserInfo?>(new OAuthUserInfo
        {
            Id = sub,
            Name = name,
            Email = email,
            EmailVerified = JwtPayload.Bool(claims, "email_verified") ?? false,
            Data = claims,
        });
    }
}
