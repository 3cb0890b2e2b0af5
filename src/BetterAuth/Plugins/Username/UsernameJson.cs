using System.ComponentModel;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Username;

/// <summary>POST /sign-in/username body; the required members make a missing field a VALIDATION_ERROR, as zod does.</summary>
internal sealed record SignInUsernameRequest
{
    [JsonPropertyName("password"), Description("The password of the user")] public required string Password { get; init; }
    [JsonPropertyName("username"), Description("The username of the user")] public required string Username { get; init; }
    [JsonPropertyName("rememberMe"), Description("Remember the user session")] public bool? RememberMe { get; init; }
}

/// <summary>The user subset /sign-in/username answers with, in Better Auth's key order (it adds username, not displayUsername).</summary>
internal sealed record UsernameUserSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("emailVerified")] bool EmailVerified,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTime UpdatedAt)
{
    public static UsernameUserSummary From(User u) =>
        new(u.Id, u.Email, u.EmailVerified, u.Get<string>(UsernamePlugin.UsernameField), u.Name, u.Image, u.CreatedAt, u.UpdatedAt);
}

internal sealed record SignInUsernameResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user")] UsernameUserSummary User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SignInUsernameRequest))]
[JsonSerializable(typeof(SignInUsernameResponse))]
internal sealed partial class UsernameJsonContext : JsonSerializerContext;
