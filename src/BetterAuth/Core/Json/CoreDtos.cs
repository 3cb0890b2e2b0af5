using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.Json;

// Requests. `required` members make a missing field a validation error, as zod does. Each is an endpoint's Request:
// its members, in this order, with their descriptions, are the endpoint's documented body.

internal sealed record SignInEmailRequest
{
    [JsonPropertyName("email"), Description("Email of the user")] public required string Email { get; init; }
    [JsonPropertyName("password"), Description("Password of the user")] public required string Password { get; init; }
    [JsonPropertyName("callbackURL"), Description("Callback URL to use as a redirect for email verification")] public string? CallbackUrl { get; init; }
    [JsonPropertyName("rememberMe"), Description("If this is false, the session will not be remembered. Default is `true`.")] public bool? RememberMe { get; init; }
}

internal sealed record RevokeSessionRequest
{
    [JsonPropertyName("token"), Description("The token to revoke")] public required string Token { get; init; }
}

internal sealed record ChangePasswordRequest
{
    [JsonPropertyName("currentPassword"), Description("The current password")] public required string CurrentPassword { get; init; }
    [JsonPropertyName("newPassword"), Description("The new password to set")] public required string NewPassword { get; init; }
    [JsonPropertyName("revokeOtherSessions"), Description("Revoke all other sessions")] public bool? RevokeOtherSessions { get; init; }
}

internal sealed record SendVerificationEmailRequest
{
    [JsonPropertyName("email"), Description("The email to send the verification email to")] public required string Email { get; init; }
    [JsonPropertyName("callbackURL"), Description("The URL to use for email verification callback")] public string? CallbackUrl { get; init; }
}

internal sealed record RequestPasswordResetRequest
{
    [JsonPropertyName("email"), Description("The email address of the user to send a password reset email to")]
    public required string Email { get; init; }
    [JsonPropertyName("redirectTo"), Description("The URL to redirect the user to reset their password. If the token isn't valid or expired, " +
        "it'll be redirected with a query parameter `?error=INVALID_TOKEN`. If the token is valid, it'll be redirected with a query " +
        "parameter `?token=VALID_TOKEN")]
    public string? RedirectTo { get; init; }
}

internal sealed record ResetPasswordRequest
{
    [JsonPropertyName("newPassword"), Description("The new password to set")] public required string NewPassword { get; init; }
    [JsonPropertyName("token"), Description("The token to reset the password")] public string? Token { get; init; }
}

internal sealed record ChangeEmailRequest
{
    [JsonPropertyName("newEmail"), Description("The new email to set")] public required string NewEmail { get; init; }
    [JsonPropertyName("callbackURL"), Description("The URL to redirect to after email verification")] public string? CallbackUrl { get; init; }
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
