using System.Text.Json;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Json;

// Requests. `required` members make a missing field a validation error, as zod does.

internal sealed record SignInEmailRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("password")] public required string Password { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("rememberMe")] public bool? RememberMe { get; init; }
}

internal sealed record RevokeSessionRequest
{
    [JsonPropertyName("token")] public required string Token { get; init; }
}

internal sealed record ChangePasswordRequest
{
    [JsonPropertyName("newPassword")] public required string NewPassword { get; init; }
    [JsonPropertyName("currentPassword")] public required string CurrentPassword { get; init; }
    [JsonPropertyName("revokeOtherSessions")] public bool? RevokeOtherSessions { get; init; }
}

internal sealed record SendVerificationEmailRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
}

internal sealed record RequestPasswordResetRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("redirectTo")] public string? RedirectTo { get; init; }
}

internal sealed record ResetPasswordRequest
{
    [JsonPropertyName("newPassword")] public required string NewPassword { get; init; }
    [JsonPropertyName("token")] public string? Token { get; init; }
}

internal sealed record ChangeEmailRequest
{
    [JsonPropertyName("newEmail")] public required string NewEmail { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
}

internal sealed record DeleteUserRequest
{
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("password")] public string? Password { get; init; }
    [JsonPropertyName("token")] public string? Token { get; init; }
}

// Responses, with Better Auth's key order.

/// <summary>The 7-field user that sign-in style endpoints answer with.</summary>
public sealed record UserSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt)
{
    internal static UserSummary From(User u) => new(u.Id, u.Email, u.Name, u.Image, u.EmailVerified, u.CreatedAt, u.UpdatedAt);
}

/// <summary>Sign-up's answer: the session <paramref name="Token"/> (null when not signed in) and the <paramref name="User"/>.</summary>
/// <param name="Token">The session token, or null when the user is not signed in.</param>
/// <param name="User">The new user.</param>
public sealed record TokenUserResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("user")] UserSummary User);

/// <summary>Sign-in's answer: <paramref name="Redirect"/>, the session <paramref name="Token"/>, the redirect <paramref name="Url"/> and the <paramref name="User"/>.</summary>
/// <param name="Redirect">Whether the client should follow <paramref name="Url"/>.</param>
/// <param name="Token">The session token.</param>
/// <param name="Url">Where to go next, if anywhere.</param>
/// <param name="User">The signed-in user.</param>
public sealed record SignInResponse(
    [property: JsonPropertyName("redirect")] bool Redirect,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonPropertyName("user")] UserSummary User);

internal sealed record SessionResponse(
    [property: JsonPropertyName("session")] Session Session,
    [property: JsonPropertyName("user")] User User);

internal sealed record StatusResponse([property: JsonPropertyName("status")] bool Status)
{
    public static readonly StatusResponse True = new(true);
}

internal sealed record SuccessResponse([property: JsonPropertyName("success")] bool Success)
{
    public static readonly SuccessResponse True = new(true);
}

internal sealed record StatusMessageResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("message")] string Message);

internal sealed record SuccessMessageResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message);

internal sealed record StatusUserResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("user")] UserSummary? User);

internal sealed record OkResponse([property: JsonPropertyName("ok")] bool Ok);

internal sealed record AccountListItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("scopes")] string[] Scopes);

internal sealed record ErrorBody(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("cause"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Cause = null);

/// <summary>The 429 body: Better Auth sends only a message.</summary>
internal sealed record RateLimitedBody([property: JsonPropertyName("message")] string Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SignInEmailRequest))]
[JsonSerializable(typeof(RevokeSessionRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(SendVerificationEmailRequest))]
[JsonSerializable(typeof(RequestPasswordResetRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(ChangeEmailRequest))]
[JsonSerializable(typeof(DeleteUserRequest))]
[JsonSerializable(typeof(StatusMessageResponse))]
[JsonSerializable(typeof(SuccessMessageResponse))]
[JsonSerializable(typeof(StatusUserResponse))]
[JsonSerializable(typeof(TokenUserResponse))]
[JsonSerializable(typeof(SignInResponse))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(Session[]))]
[JsonSerializable(typeof(List<Session>))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(OkResponse))]
[JsonSerializable(typeof(List<AccountListItem>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(RateLimitedBody))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
