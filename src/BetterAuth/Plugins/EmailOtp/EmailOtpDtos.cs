using System.Text.Json.Serialization;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.EmailOtp;

// Requests: `required` members make a missing field Better Auth's VALIDATION_ERROR, as zod does.

internal sealed record SendEmailOtpRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    /// <summary>One of sign-in, email-verification, forget-password (checked by the endpoint, as zod's enum).</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
}

internal sealed record EmailOtpRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("otp")] public required string Otp { get; init; }
}

internal sealed record EmailRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
}

internal sealed record EmailOtpResetPasswordRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    [JsonPropertyName("otp")] public required string Otp { get; init; }
    [JsonPropertyName("password")] public required string Password { get; init; }
}

// Responses, in Better Auth's key order.

internal sealed record EmailOtpVerifyResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("user")] UserSummary User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SendEmailOtpRequest))]
[JsonSerializable(typeof(EmailOtpRequest))]
[JsonSerializable(typeof(EmailRequest))]
[JsonSerializable(typeof(EmailOtpResetPasswordRequest))]
[JsonSerializable(typeof(EmailOtpVerifyResponse))]
internal sealed partial class EmailOtpJsonContext : JsonSerializerContext;
