using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>GitHub (social-providers/github.ts): no PKCE, profile from /user and the email (and whether it is verified) from /user/emails.</summary>
internal sealed class GitHubProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : OAuthProvider(id, options, services)
{
    public const string DefaultAuthorizationEndpoint = "https://github.com/login/oauth/authorize";
    public const string DefaultTokenEndpoint = "https://github.com/login/oauth/access_token";
    public const string DefaultUserInfoEndpoint = "https://api.github.com/user";

    public override string Name => Options.Name ?? "GitHub";
    protected override string TokenEndpoint => Options.TokenEndpoint ?? DefaultTokenEndpoint;

    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct) =>
        Task.FromResult(BuildAuthorizationUrl(Options.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint, request,
            Scopes(["read:user", "user:email"], request.Scopes), loginHint: request.LoginHint, prompt: Options.Prompt));

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        var userUrl = Options.UserInfoEndpoint ?? DefaultUserInfoEndpoint;
        JsonElement profile;
        try { profile = await Http.GetJsonAsync(userUrl, Timeout, tokens.AccessToken, ct); }
        catch (OAuthProviderException) { return null; }
        if (profile.ValueKind != JsonValueKind.Object || JwtPayload.String(profile, "id") is not { } id) return null;

        JsonElement? emails = null;
        try
        {
            var list = await Http.GetJsonAsync(userUrl.TrimEnd('/') + "/emails", Timeout, tokens.AccessToken, ct);
            if (list.ValueKind == JsonValueKind.Array) emails = list;
        }
        catch (OAuthProviderException) { /* a private email simply stays unknown, as in Better Auth */ }

        var email = JwtPayload.String(profile, "email");
        if (string.IsNullOrEmpty(email) && emails is { } all)
        {
            var entries = all.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
            var chosen = entries.FirstOrDefault(e => JwtPayload.Bool(e, "primary") == true);
            if (chosen.ValueKind == JsonValueKind.Undefined && entries.Count > 0) chosen = entries[0];
            if (chosen.ValueKind == JsonValueKind.Object) email = JwtPayload.String(chosen, "email");
        }
        var verified = emails is { } found && found.EnumerateArray()
            .Any(e => e.ValueKind == JsonValueKind.Object && JwtPayload.String(e, "email") == email && JwtPayload.Bool(e, "verified") == true);

        var name = JwtPayload.String(profile, "name");
        return new OAuthUserInfo
        {
            Id = id,
            Name = string.IsNullOrEmpty(name) ? JwtPayload.String(profile, "login") : name,
            Email = string.IsNullOrEmpty(email) ? null : email,
            Image = JwtPayload.String(profile, "avatar_url"),
            EmailVerified = verified,
            Data = profile,
        };
    }
}
