using System.ComponentModel;
using System.Text.Json.Serialization;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.TwoFactor;

// Requests. `required` members make a missing field a validation error, as zod does. Each is an endpoint's Request:
// its members, in this order, with their descriptions, are the endpoint's documented body.

/// <summary>disable and get-totp-uri.</summary>
internal sealed record PasswordRequest
{
    [JsonPropertyName("password"), Description("User password")] public required string Password { get; init; }
}

/// <summary>generate-backup-codes (documented without a description, as Better Auth documents it).</summary>
internal sealed record BackupCodesRequest
{
    [JsonPropertyName("password")] public required string Password { get; init; }
}

internal sealed record EnableTwoFactorRequest
{
    [JsonPropertyName("password"), Description("User password")] public required string Password { get; init; }
    [JsonPropertyName("issuer"), Description("Custom issuer for the TOTP URI")] public string? Issuer { get; init; }
}

/// <summary>A code and the trust-device choice: verify-totp's body (verify-otp's is <see cref="VerifyOtpRequest"/>).</summary>
internal sealed record VerifyCodeRequest
{
    [JsonPropertyName("code"), Description("The otp code to verify")] public required string Code { get; init; }
    [JsonPropertyName("trustDevice"), Description("If true, the device will be trusted for 30 days. It'll be refreshed on every sign in request within this time.")]
    public bool? TrustDevice { get; init; }
}

/// <summary>verify-otp's body: the same members as verify-totp's, documented as Better Auth documents them there.</summary>
internal sealed record VerifyOtpRequest
{
    [JsonPropertyName("code"), Description("The otp code to verify")] public required string Code { get; init; }
    [JsonPropertyName("trustDevice"), Description("If true, the device will be trusted for 30 days")] public bool? TrustDevice { get; init; }
}

internal sealed record SendOtpRequest
{
    [JsonPropertyName("trustDevice")] public bool? TrustDevice { get; init; }
}

internal sealed record VerifyBackupCodeRequest
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("disableSession"), Description("If true, the session cookie will not be set.")] public bool? DisableSession { get; init; }
    [JsonPropertyName("trustDevice"), Description("If true, the device will be trusted for 30 days. It'll be refreshed on every sign in request within this time.")]
    public bool? TrustDevice { get; init; }
}

// Responses, with Better Auth's key order.

internal sealed record EnableTwoFactorResponse(
    [property: JsonPropertyName("totpURI")] string TotpUri,
    [property: JsonPropertyName("backupCodes")] string[] BackupCodes);

internal sealed record TotpUriResponse([property: JsonPropertyName("totpURI")] string TotpUri);

internal sealed record BackupCodesResponse(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("backupCodes")] string[] BackupCodes);

internal sealed record TwoFactorRedirectResponse([property: JsonPropertyName("twoFactorRedirect")] bool TwoFactorRedirect)
{
    public static readonly TwoFactorRedirectResponse True = new(true);
}

/// <summary>The user subset the verify endpoints answer with; its key order differs from core's <see cref="UserSummary"/>.</summary>
internal sealed record TwoFactorUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt)
{
    public static TwoFactorUser From(User u) => new(u.Id, u.Email, u.EmailVerified, u.Name, u.Image, u.CreatedAt, u.UpdatedAt);
}

/// <summary><c>{token, user}</c>; the token is left out when there is no session (verify-backup-code with disableSession).</summary>
internal sealed record TwoFactorVerifiedResponse(
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token,
    [property: JsonPropertyName("user")] TwoFactorUser User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PasswordRequest))]
[JsonSerializable(typeof(BackupCodesRequest))]
[JsonSerializable(typeof(EnableTwoFactorRequest))]
[JsonSerializable(typeof(VerifyCodeRequest))]
[JsonSerializable(typeof(VerifyOtpRequest))]
[JsonSerializable(typeof(SendOtpRequest))]
[JsonSerializable(typeof(VerifyBackupCodeRequest))]
[JsonSerializable(typeof(EnableTwoFactorResponse))]
[JsonSerializable(typeof(TotpUriResponse))]
[JsonSerializable(typeof(BackupCodesResponse))]
[JsonSerializable(typeof(TwoFactorRedirectResponse))]
[JsonSerializable(typeof(TwoFactorVerifiedResponse))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class TwoFactorJsonContext : JsonSerializerContext;
