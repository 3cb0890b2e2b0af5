using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>
/// Microsoft Entra ID (social-providers/microsoft-entra-id.ts): PKCE, the profile from the ID token, the photo from
/// Microsoft Graph. The email counts as verified only when the token says so (an <c>email_verified</c> claim, or the
/// address listed in <c>verified_primary_email</c>/<c>verified_secondary_email</c>): Entra lets tenant admins set any
/// unverified address, and trusting it would let implicit linking take over another user's account.
/// </summary>
internal sealed class MicrosoftProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : OAuthProvider(id, options, services)
{
    private static readonly string[] DefaultScopes = ["openid", "profile", "email", "User.Read", "offline_access"];
    public const string DefaultGraphPhotoEndpoint = "https://graph.microsoft.com/v1.0/me/photos";

    private string Tenant => string.IsNullOrEmpty(Options.TenantId) ? "common" : Options.TenantId;
    public override string Name => Options.Name ?? "Microsoft EntraID";
    public override bool UsesPkce => true;
    protected override string TokenEndpoint => Options.TokenEndpoint ?? $"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/token";

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(
            Options.AuthorizationEndpoint ?? $"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/authorize", request,
            Scopes(DefaultScopes, request.Scopes), prompt: Options.Prompt));

    public override Task<OAuthTokens> RefreshAccessTokenAsync(string refreshToken, CancellationToken ct) =>
        RefreshAsync(Options.RefreshTokenEndpoint ?? TokenEndpoint, refreshToken,
            [new("scope", string.Join(" ", Scopes(DefaultScopes, null)))], ct);

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        if (JwtPayload.Decode(tokens.IdToken) is not { } claims || JwtPayload.String(claims, "sub") is not { } sub) return null;
        var image = JwtPayload.String(claims, "picture");
        if (!Options.DisableProfilePhoto && tokens.AccessToken is not null)
        {
            var size = Options.ProfilePhotoSize;
            var photoBase = Options.UserInfoEndpoint ?? DefaultGraphPhotoEndpoint;
            var photo = await Http.TryGetBytesAsync($"{photoBase}/{size}x{size}/$value", Timeout, tokens.AccessToken, ct);
            // Better Auth writes the data URL with a space after the comma; clients store it as given.
            if (photo is { Length: > 0 }) image = "data:image/jpeg;base64, " + Convert.ToBase64String(photo);
        }
        var email = JwtPayload.String(claims, "email");
        return new OAuthUserInfo
        {
            Id = sub,
            Name = JwtPayload.String(claims, "name"),
            Email = email,
            Image = image,
            EmailVerified = JwtPayload.Bool(claims, "email_verified") ?? (email is not null &&
                (ListContains(claims, "verified_primary_email", email) || ListContains(claims, "verified_secondary_email", email))),
            Data = claims,
        };
    }

    private static bool ListContains(JsonElement claims, string name, string value) =>
        claims.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array &&
        list.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == value);
}
