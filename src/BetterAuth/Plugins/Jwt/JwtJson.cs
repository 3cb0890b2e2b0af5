using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BetterAuth.Plugins.Jwt;

/// <summary>GET /token's answer.</summary>
/// <param name="Token">The signed JWT.</param>
internal sealed record JwtTokenResponse([property: JsonPropertyName("token")] string Token);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JwtTokenResponse))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
internal sealed partial class JwtJsonContext : JsonSerializerContext;
