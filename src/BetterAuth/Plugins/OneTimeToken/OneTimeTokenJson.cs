using System.Text.Json.Serialization;

namespace BetterAuth.Plugins.OneTimeToken;

internal sealed record OneTimeTokenRequest
{
    [JsonPropertyName("token")] public required string Token { get; init; }
}

internal sealed record OneTimeTokenResponse([property: JsonPropertyName("token")] string Token);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OneTimeTokenRequest))]
[JsonSerializable(typeof(OneTimeTokenResponse))]
internal sealed partial class OneTimeTokenJsonContext : JsonSerializerContext;
