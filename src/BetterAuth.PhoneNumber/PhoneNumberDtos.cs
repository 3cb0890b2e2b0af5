using System.ComponentModel;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.PhoneNumber;

// Requests: `required` members make a missing field Better Auth's VALIDATION_ERROR, as zod does. Each is an endpoint's
// Request: its members, in this order, with their descriptions, are the endpoint's documented body.

internal sealed record SignInPhoneNumberRequest
{
    [JsonPropertyName("password"), Description("Password to use for sign in")] public required string Password { get; init; }
    [JsonPropertyName("phoneNumber"), Description("Phone number to sign in")] public required string PhoneNumber { get; init; }
    [JsonPropertyName("rememberMe"), Description("Remember the session")] public bool? RememberMe { get; init; }
}

/// <summary>send-otp's body.</summary>
internal sealed record SendPhoneOtpRequest
{
    [JsonPropertyName("phoneNumber"), Description("Phone number to send OTP")] public required string PhoneNumber { get; init; }
}

/// <summary>The password-reset request's body (forget-password, request-password-reset).</summary>
internal sealed record PhoneNumberRequest
{
    [JsonPropertyName("phoneNumber")] public required string PhoneNumber { get; init; }
}

internal sealed record VerifyPhoneNumberRequest
{
    [JsonPropertyName("code"), Description("OTP code")] public required string Code { get; init; }
    [JsonPropertyName("phoneNumber"), Description("Phone number to verify")] public required string PhoneNumber { get; init; }
    [JsonPropertyName("disableSession"), Description("Disable session creation after verification")] public bool? DisableSession { get; init; }
    [JsonPropertyName("updatePhoneNumber"), Description("Check if there is a session and update the phone number")]
    public bool? UpdatePhoneNumber { get; init; }
}

internal sealed record ResetPasswordPhoneNumberRequest
{
    [JsonPropertyName("newPassword")] public required string NewPassword { get; init; }
    [JsonPropertyName("otp")] public required string Otp { get; init; }
    [JsonPropertyName("phoneNumber")] public required string PhoneNumber { get; init; }
}

// Responses, in Better Auth's key order.

/// <summary>The user subset the phone endpoints answer with: the 7 summary fields plus the two phone columns.</summary>
internal sealed record PhoneUserSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber,
    [property: JsonPropertyName("phoneNumberVerified")] bool? PhoneNumberVerified,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt)
{
    public static PhoneUserSummary From(User u) => new(u.Id, u.Email, u.EmailVerified, u.Name, u.Image,
        u[PhoneNumberPlugin.PhoneNumberField] as string, u[PhoneNumberPlugin.PhoneNumberVerifiedField] as bool?, u.CreatedAt, u.UpdatedAt);
}

internal sealed record PhoneSignInResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user")] PhoneUserSummary User);

internal sealed record PhoneVerifyResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("user")] PhoneUserSummary User);

internal sealed record CodeSentResponse([property: JsonPropertyName("message")] string Message)
{
    public static readonly CodeSentResponse Instance = new("code sent");
}

/// <summary>What <see cref="SmsWebhookSender"/> POSTs.</summary>
internal sealed record SmsWebhookPayload(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("kind")] string Kind);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SignInPhoneNumberRequest))]
[JsonSerializable(typeof(PhoneNumberRequest))]
[JsonSerializable(typeof(SendPhoneOtpRequest))]
[JsonSerializable(typeof(VerifyPhoneNumberRequest))]
[JsonSerializable(typeof(ResetPasswordPhoneNumberRequest))]
[JsonSerializable(typeof(PhoneSignInResponse))]
[JsonSerializable(typeof(PhoneVerifyResponse))]
[JsonSerializable(typeof(CodeSentResponse))]
[JsonSerializable(typeof(SmsWebhookPayload))]
internal sealed partial class PhoneNumberJsonContext : JsonSerializerContext;
