using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BetterAuth.Core.OAuth;

/// <summary>What a token endpoint answered (Better Auth's <c>OAuth2Tokens</c>); absent fields stay null.</summary>
internal sealed record OAuthTokens
{
    public string? TokenType { get; init; }
    public string? AccessToken { get; init; }
    public string? RefreshToken { get; init; }
    public DateTime? AccessTokenExpiresAt { get; init; }
    public DateTime? RefreshTokenExpiresAt { get; init; }
    public IReadOnlyList<string>? Scopes { get; init; }
    public string? IdToken { get; init; }

    /// <summary>
    /// An authorization-code answer (getOAuth2Tokens): <c>scope</c> split on spaces (or taken as an array), an empty
    /// list when absent; <c>expires_in</c> seconds from <paramref name="now"/>.
    /// </summary>
    public static OAuthTokens FromCodeResponse(JsonElement json, DateTime now) => new()
    {
        TokenType = Str(json, "token_type"),
        AccessToken = Str(json, "access_token"),
        RefreshToken = Str(json, "refresh_token"),
        AccessTokenExpiresAt = ExpiresIn(json, now),
        Scopes = ScopeList(json) ?? [],
        IdToken = Str(json, "id_token"),
    };

    /// <summary>A refresh-token answer (refreshAccessToken): as above, but no scope stays null.</summary>
    public static OAuthTokens FromRefreshResponse(JsonElement json, DateTime now) => FromCodeResponse(json, now) with { Scopes = ScopeList(json) };

    private static string? Str(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static DateTime? ExpiresIn(JsonElement json, DateTime now)
    {
        if (!json.TryGetProperty("expires_in", out var v)) return null;
        double seconds;
        if (v.ValueKind == JsonValueKind.Number) seconds = v.GetDouble();
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) seconds = s;
        else return null;
        return seconds > 0 && seconds < 1e9 ? now.AddSeconds(seconds) : null;
    }

    private static IReadOnlyList<string>? ScopeList(JsonElement json)
    {
        if (!json.TryGetProperty("scope", out var v)) return null;
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString() is { Length: > 0 } s ? s.Split(' ') : null;
        if (v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
        return null;
    }
}

/// <summary>The user a provider describes (Better Auth's <c>getUserInfo</c> result): the mapped fields and the raw profile.</summary>
public sealed record OAuthUserInfo
{
    /// <summary>The provider's user id (the account row's <c>accountId</c>).</summary>
    public required string Id { get; init; }
    /// <summary>Display name.</summary>
    public string? Name { get; init; }
    /// <summary>Email address.</summary>
    public string? Email { get; init; }
    /// <summary>Profile picture URL.</summary>
    public string? Image { get; init; }
    /// <summary>Whether the provider says the email is verified.</summary>
    public bool EmailVerified { get; init; }
    /// <summary>The provider's profile as it sent it (ID-token claims or the user-info answer).</summary>
    public JsonElement Data { get; init; }
}

/// <summary>Reads a JWT's payload without checking it: only for tokens just received from the token endpoint over TLS.</summary>
internal static class JwtPayload
{
    public static JsonElement? Decode(string? jwt)
    {
        if (string.IsNullOrEmpty(jwt)) return null;
        var parts = jwt.Split('.');
        if (parts.Length < 2) return null;
        try
        {
            var bytes = Base64UrlDecode(parts[1]);
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException) { return null; }
    }

    public static byte[] Base64UrlDecode(string s)
    {
        var b = new StringBuilder(s.Replace('-', '+').Replace('_', '/'));
        while (b.Length % 4 != 0) b.Append('=');
        return Convert.FromBase64String(b.ToString());
    }

    public static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A boolean claim that some providers send as the string "true".</summary>
    public static bool? Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetString() == "true",
            _ => null,
        } : null;
}
