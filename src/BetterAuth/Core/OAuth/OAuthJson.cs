using System.Text.Json;
using System.Text.Json.Serialization;

namespace BetterAuth.Core.OAuth;

// Requests. `required` members make a missing field a validation error, as zod does; unknown members are ignored.

internal sealed record SignInIdToken
{
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; init; }
    [JsonPropertyName("refreshToken")] public string? RefreshToken { get; init; }
    [JsonPropertyName("expiresAt")] public double? ExpiresAt { get; init; }
}

internal sealed record SocialSignInRequest
{
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("newUserCallbackURL")] public string? NewUserCallbackUrl { get; init; }
    [JsonPropertyName("errorCallbackURL")] public string? ErrorCallbackUrl { get; init; }
    [JsonPropertyName("disableRedirect")] public bool? DisableRedirect { get; init; }
    [JsonPropertyName("idToken")] public SignInIdToken? IdToken { get; init; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; init; }
    [JsonPropertyName("requestSignUp")] public bool? RequestSignUp { get; init; }
    [JsonPropertyName("loginHint")] public string? LoginHint { get; init; }
}

internal sealed record LinkIdToken
{
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; init; }
    [JsonPropertyName("refreshToken")] public string? RefreshToken { get; init; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; init; }
}

internal sealed record LinkSocialRequest
{
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("idToken")] public LinkIdToken? IdToken { get; init; }
    [JsonPropertyName("requestSignUp")] public bool? RequestSignUp { get; init; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; init; }
    [JsonPropertyName("errorCallbackURL")] public string? ErrorCallbackUrl { get; init; }
}

internal sealed record UnlinkAccountRequest
{
    [JsonPropertyName("providerId")] public required string ProviderId { get; init; }
    [JsonPropertyName("accountId")] public string? AccountId { get; init; }
}

internal sealed record ProviderTokenRequest
{
    [JsonPropertyName("providerId")] public required string ProviderId { get; init; }
    /// <summary>The account row's id (not the provider's user id) at this version.</summary>
    [JsonPropertyName("accountId")] public string? AccountId { get; init; }
    [JsonPropertyName("userId")] public string? UserId { get; init; }
}

internal sealed record AccountInfoRequest
{
    /// <summary>The provider's user id (the account row's accountId).</summary>
    [JsonPropertyName("accountId")] public required string AccountId { get; init; }
}

/// <summary>The callback's query or form body: every member optional, every value a string.</summary>
internal sealed record OAuthCallbackParameters
{
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("device_id")] public string? DeviceId { get; init; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
    [JsonPropertyName("state")] public string? State { get; init; }
    [JsonPropertyName("user")] public string? User { get; init; }
}

// Responses, with Better Auth's key order; absent values are left out as JSON.stringify leaves out undefined.

internal sealed record SocialRedirectResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("redirect")] bool Redirect);

internal sealed record LinkedResponse(
    [property: JsonPropertyName("redirect")] bool Redirect,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("status")] bool Status);

internal sealed record AccessTokenResponse(
    [property: JsonPropertyName("accessToken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonPropertyName("accessTokenExpiresAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? AccessTokenExpiresAt,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("idToken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken);

internal sealed record RefreshedTokensResponse(
    [property: JsonPropertyName("accessToken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonPropertyName("refreshToken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("tokenType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType,
    [property: JsonPropertyName("scopes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Scopes,
    [property: JsonPropertyName("idToken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken,
    [property: JsonPropertyName("accessTokenExpiresAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? AccessTokenExpiresAt)
{
    public static RefreshedTokensResponse From(OAuthTokens t) =>
        new(t.AccessToken, t.RefreshToken, t.TokenType, t.Scopes, t.IdToken, t.AccessTokenExpiresAt);
}

internal sealed record AccountInfoUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("image"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Image,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified);

/// <summary>account-info's answer; <see cref="Account"/> only on GET, as later Better Auth adds it (1.2.12's POST has none).</summary>
internal sealed record AccountInfoResponse(
    [property: JsonPropertyName("user")] AccountInfoUser User,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("account"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AccountInfoAccount? Account = null)
{
    public static AccountInfoResponse From(OAuthUserInfo u) =>
        new(new AccountInfoUser(u.Id, u.Name, u.Email, u.Image, u.EmailVerified), u.Data);
}

/// <summary>Which account GET /account-info described: the row id, the provider, and the provider's user id.</summary>
internal sealed record AccountInfoAccount(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("providerId")] string ProviderId,
    [property: JsonPropertyName("accountId")] string AccountId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SocialSignInRequest))]
[JsonSerializable(typeof(LinkSocialRequest))]
[JsonSerializable(typeof(UnlinkAccountRequest))]
[JsonSerializable(typeof(ProviderTokenRequest))]
[JsonSerializable(typeof(AccountInfoRequest))]
[JsonSerializable(typeof(OAuthCallbackParameters))]
[JsonSerializable(typeof(SocialRedirectResponse))]
[JsonSerializable(typeof(LinkedResponse))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(RefreshedTokensResponse))]
[JsonSerializable(typeof(AccountInfoResponse))]
internal sealed partial class OAuthJsonContext : JsonSerializerContext;
