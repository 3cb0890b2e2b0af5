using System.Text.Json;
using System.Text.RegularExpressions;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>
/// GitLab (social-providers/gitlab.ts): PKCE; <see cref="SocialProviderOptions.Issuer"/> is the instance's base URL
/// (default gitlab.com) and every endpoint derives from it. The email counts as verified only when the profile says so.
/// </summary>
internal sealed partial class GitLabProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : OAuthProvider(id, options, services)
{
    private string BaseUrl => string.IsNullOrEmpty(Options.Issuer) ? "https://gitlab.com" : Options.Issuer;
    public override string Name => Options.Name ?? "Gitlab";
    public override bool UsesPkce => true;
    // Better Auth always refreshes against gitlab.com; a self-hosted instance's own token endpoint is the right one.
    protected override string TokenEndpoint => Options.TokenEndpoint ?? Endpoint("/oauth/token");

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(Options.AuthorizationEndpoint ?? Endpoint("/oauth/authorize"), request,
            Scopes(["read_user"], request.Scopes), loginHint: request.LoginHint));

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        JsonElement profile;
        try { profile = await Http.GetJsonAsync(Options.UserInfoEndpoint ?? Endpoint("/api/v4/user"), Timeout, tokens.AccessToken, ct); }
        catch (OAuthProviderException) { return null; }
        if (profile.ValueKind != JsonValueKind.Object || JwtPayload.String(profile, "id") is not { } id) return null;
        if (JwtPayload.String(profile, "state") != "active" || JwtPayload.Bool(profile, "locked") == true) return null;
        return new OAuthUserInfo
        {
            Id = id,
            Name = JwtPayload.String(profile, "name") ?? JwtPayload.String(profile, "username"),
            Email = JwtPayload.String(profile, "email"),
            Image = JwtPayload.String(profile, "avatar_url"),
            EmailVerified = JwtPayload.Bool(profile, "email_verified") ?? false,
            Data = profile,
        };
    }

    /// <summary>The base URL plus a path, with doubled slashes collapsed (Better Auth's cleanDoubleSlashes).</summary>
    private string Endpoint(string path)
    {
        var url = BaseUrl + path;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 ? Slashes().Replace(url, "/") : url[..(scheme + 3)] + Slashes().Replace(url[(scheme + 3)..], "/");
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex Slashes();
}
