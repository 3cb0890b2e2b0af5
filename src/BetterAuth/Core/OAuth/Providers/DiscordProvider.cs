using System.Numerics;
using System.Text.Json;

namespace BetterAuth.Core.OAuth.Providers;

/// <summary>Discord (social-providers/discord.ts): no PKCE, profile from /users/@me, avatar URL built from its hash.</summary>
internal sealed class DiscordProvider(string id, SocialProviderOptions options, OAuthProviderServices services) : OAuthProvider(id, options, services)
{
    public const string DefaultAuthorizationEndpoint = "https://discord.com/api/oauth2/authorize";
    public const string DefaultTokenEndpoint = "https://discord.com/api/oauth2/token";
    public const string DefaultUserInfoEndpoint = "https://discord.com/api/users/@me";

    public override string Name => Options.Name ?? "Discord";
    protected override string TokenEndpoint => Options.TokenEndpoint ?? DefaultTokenEndpoint;

    /// <summary>Better Auth writes this URL by hand: scopes joined with <c>+</c> (request scopes before configured ones) and <c>prompt=none</c> by default.</summary>
    public override Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct)
    {
        var scopes = Options.DisableDefaultScope ? new List<string>() : ["identify", "email"];
        if (request.Scopes is not null) scopes.AddRange(request.Scopes);
        scopes.AddRange(Options.Scope);
        var endpoint = Options.AuthorizationEndpoint ?? DefaultAuthorizationEndpoint;
        var url = $"{endpoint}{(endpoint.Contains('?') ? '&' : '?')}scope={string.Join("+", scopes.Select(Uri.EscapeDataString))}" +
                  $"&response_type=code&client_id={Uri.EscapeDataString(Options.ClientId ?? "")}" +
                  $"&redirect_uri={Uri.EscapeDataString(Options.RedirectUri ?? request.RedirectUri)}" +
                  $"&state={request.State}&prompt={Uri.EscapeDataString(Options.Prompt ?? "none")}";
        return Task.FromResult(url);
    }

    protected override async Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct)
    {
        JsonElement profile;
        try { profile = await Http.GetJsonAsync(Options.UserInfoEndpoint ?? DefaultUserInfoEndpoint, Timeout, tokens.AccessToken, ct); }
        catch (OAuthProviderException) { return null; }
        if (profile.ValueKind != JsonValueKind.Object || JwtPayload.String(profile, "id") is not { } id) return null;

        var avatar = JwtPayload.String(profile, "avatar");
        string image;
        if (avatar is null)
        {
            var discriminator = JwtPayload.String(profile, "discriminator") ?? "0";
            var index = discriminator == "0"
                ? (BigInteger.TryParse(id, out var snowflake) ? (int)((snowflake >> 22) % 6) : 0)
                : (int.TryParse(discriminator, out var d) ? d % 5 : 0);
            image = $"https://cdn.discordapp.com/embed/avatars/{index}.png";
        }
        else image = $"https://cdn.discordapp.com/avatars/{id}/{avatar}.{(avatar.StartsWith("a_", StringComparison.Ordinal) ? "gif" : "png")}";

        var name = JwtPayload.String(profile, "global_name");
        if (string.IsNullOrEmpty(name)) name = JwtPayload.String(profile, "username") ?? "";
        return new OAuthUserInfo
        {
            Id = id,
            Name = name,
            Email = JwtPayload.String(profile, "email"),
            EmailVerified = JwtPayload.Bool(profile, "verified") ?? false,
            Image = image,
            Data = profile,
        };
    }
}
