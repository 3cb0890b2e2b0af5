using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Anonymous;

/// <summary>The user subset /sign-in/anonymous answers with, in Better Auth's key order (no image).</summary>
internal sealed record AnonymousUserSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt)
{
    public static AnonymousUserSummary From(User u) => new(u.Id, u.Email, u.EmailVerified, u.Name, u.CreatedAt, u.UpdatedAt);
}

internal sealed record SignInAnonymousResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user")] AnonymousUserSummary User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SignInAnonymousResponse))]
internal sealed partial class AnonymousJsonContext : JsonSerializerContext;
