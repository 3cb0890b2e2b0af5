using System.Text.Json.Serialization;

namespace BetterAuth.Plugins.MagicLink;

/// <summary>POST /sign-in/magic-link; a missing <c>email</c> or a field of the wrong type is Better Auth's VALIDATION_ERROR.</summary>
internal sealed record SignInMagicLinkRequest
{
    [JsonPropertyName("email")] public required string Email { get; init; }
    /// <summary>The new user's name, used only when the link signs an unknown email up.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("callbackURL")] public string? CallbackUrl { get; init; }
}

/// <summary>/magic-link/verify without a callbackURL: the session token and the user as Better Auth lists it (key order included).</summary>
internal sealed record MagicLinkVerifyResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user")] MagicLinkUser User);

/// <summary>The user in <see cref="MagicLinkVerifyResponse"/>, in Better Auth's key order (emailVerified before name).</summary>
internal sealed record MagicLinkUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SignInMagicLinkRequest))]
[JsonSerializable(typeof(MagicLinkVerifyResponse))]
internal sealed partial class MagicLinkJsonContext : JsonSerializerContext;
