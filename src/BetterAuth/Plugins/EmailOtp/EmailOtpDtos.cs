using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.EmailOtp;

// Requests: `required` members make a missing field Better Auth's VALIDATION_ERROR, as zod does. Each is an endpoint's
// Request: its members, in this order, with their descriptions, are the endpoint's documented body.

internal sealed record SendEmailOtpRequest
{
    [JsonPropertyName("email"), Description("Email address to send the OTP")] public required string Email { get; init; }
    /// <summary>One of the allowed values (checked by the endpoint against <see cref="EmailOtpCodes.Types"/>, as zod's enum).</summary>
    [JsonPropertyName("type"), Description("Type of the OTP"), AllowedValues(EmailOtpCodes.EmailVerification, EmailOtpCodes.SignIn, EmailOtpCodes.ForgetPassword)]
    public required string Type { get; init; }
}

/// <summary>/sign-in/email-otp's body.</summary>
internal sealed record EmailOtpRequest
{
    [JsonPropertyName("email"), Description("Email address to sign in")] public required string Email { get; init; }
    [JsonPropertyName("otp"), Description("OTP sent to the email")] public required string Otp { get; init; }
}

/// <summary>/email-otp/verify-email's body.</summary>
internal sealed record VerifyEmailOtpRequest
{
    [JsonPropertyName("email"), Description("Email address to verify")] public required string Email { get; init; }
    [JsonPropertyName("otp"), Description("OTP to verify")] public required string Otp { get; init; }
}

internal sealed record EmailRequest
{
    [JsonPropertyName("email"), Description("Email address to send the OTP")] public required string Email { get; init; }
}

internal sealed record EmailOtpResetPasswordRequest
{
    [JsonPropertyName("email"), Description("Email address to reset the password")] public required string Email { get; init; }
    [JsonPropertyName("otp"), Description("OTP sent to the email")] public required string Otp { get; init; }
    [JsonPropertyName("password"), Description("New password")] public required string Password { get; init; }
}

// Responses, in Better Auth's key order.

internal sealed record EmailOtpVerifyResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("user")] UserSummary User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SendEmailOtpRequest))]
[JsonSerializable(typeof(EmailOtpRequest))]
[JsonSerializable(typeof(VerifyEmailOtpRequest))]
[JsonSerializable(typeof(EmailRequest))]
[JsonSerializable(typeof(EmailOtpResetPasswordRequest))]
[JsonSerializable(typeof(EmailOtpVerifyResponse))]
internal sealed partial class EmailOtpJsonContext : JsonSerializerContext;
