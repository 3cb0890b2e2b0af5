using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BetterAuth.Core.OAuth;

// Requests. `required` members make a missing field a validation error, as zod does; unknown members are ignored.
// Each is an endpoint's Request: its members, in this order, with their descriptions, are the documented body.

internal sealed record SignInIdToken
{
    [JsonPropertyName("token"), Description("ID token from the provider")] public required string Token { get; init; }
    [JsonPropertyName("nonce"), Description("Nonce used to generate the token")] public string? Nonce { get; init; }
    [JsonPropertyName("accessToken"), Description("Access token from the provider")] public string? AccessToken { get; init; }
    [JsonPropertyName("refreshToken"), Description("Refresh token from the provider")] public string? RefreshToken { get; init; }
    [JsonPropertyName("expiresAt"), Description("Expiry of the ID token (epoch seconds)")] public double? ExpiresAt { get; init; }
}

internal sealed record SocialSignInRequest
{
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("callbackURL"), Description("Callback URL to redirect to after the user has signed in")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("disableRedirect"), Description("Disable automatic redirection to the provider. Useful for handling the redirection yourself")]
    public bool? DisableRedirect { get; init; }
    [JsonPropertyName("errorCallbackURL"), Description("Callback URL to redirect to if an error happens")] public string? ErrorCallbackUrl { get; init; }
    [JsonPropertyName("idToken"), Description("ID token from the provider to sign in the user with id token")] public SignInIdToken? IdToken { get; init; }
    [JsonPropertyName("loginHint"), Description("The login hint to use for the authorization code request")] public string? LoginHint { get; init; }
    [JsonPropertyName("newUserCallbackURL")] public string? NewUserCallbackUrl { get; init; }
    [JsonPropertyName("requestSignUp"), Description("Explicitly request sign-up. Useful when disableImplicitSignUp is true for this provider")]
    public bool? RequestSignUp { get; init; }
    [JsonPropertyName("scopes"), Description("Array of scopes to request from the provider. This will override the default scopes passed.")]
    public List<string>? Scopes { get; init; }
}

internal sealed record LinkIdToken
{
    [JsonPropertyName("token"), Description("ID token from the provider")] public required string Token { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    [JsonPropertyName("accessToken")] public string? AccessToken { get; init; }
    [JsonPropertyName("refreshToken")] public string? RefreshToken { get; init; }
    [JsonPropertyName("scopes")] public List<string>? Scopes { get; init; }
}

internal sealed record LinkSocialRequest
{
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("callbackURL"), Description("The URL to redirect to after the user has signed in")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("errorCallbackURL"), Description("The URL to redirect to if there is an error during the link process")]
    public string? ErrorCallbackUrl { get; init; }
    [JsonPropertyName("idToken"), Description("ID token from the provider, to link without a redirect")] public LinkIdToken? IdToken { get; init; }
    [JsonPropertyName("requestSignUp")] public bool? RequestSignUp { get; init; }
    [JsonPropertyName("scopes"), Description("Additional scopes to request from the provider")] public List<string>? Scopes { get; init; }
}

internal sealed record UnlinkAccountRequest
{
    [JsonPropertyName("providerId")] public required string ProviderId { get; init; }
    [JsonPropertyName("accountId")] public string? AccountId { get; init; }
}

internal sealed record ProviderTokenRequest
{
    [JsonPropertyName("providerId"), Description("The provider ID for the OAuth provider")] public required string ProviderId { get; init; }
    /// <summary>The account row's id (not the provider's user id) at this version.</summary>
    [JsonPropertyName("accountId"), Description("The account ID associated with the refresh token")] public string? AccountId { get; init; }
    [JsonPropertyName("userId"), Description("The user ID associated with the account")] public string? UserId { get; init; }
}

internal sealed record AccountInfoRequest
{
    /// <summary>The provider's user id (the account row's accountId).</summary>
    [JsonPropertyName("accountId"), Description("The provider given account id for which to get the account info")]
    public required string AccountId { get; init; }
}

/// <summary>The callback's query or form body: every member optional, every value a string.</summary>
internal sealed record OAuthCallbackParameters
{
    [JsonPropertyName("code"), Description("The authorization code")] public string? Code { get; init; }
    [JsonPropertyName("state"), Description("The state issued with the authorization request")] public string? State { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("error_description")] public string? ErrorDescription { get; init; }
    [JsonPropertyName("device_id")] public string? DeviceId { get; init; }
    [JsonPropertyName("user"), Description("The user object Apple posts as JSON")] public string? User { get; init; }
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
