using System.Text.Json.Serialization;

namespace BetterAuth.Plugins.OneTimeToken;

public sealed record OneTimeTokenRequest
{
    [JsonPropertyName("token")] public required string Token { get; init; }
}

public sealed record OneTimeTokenResponse([property: JsonPropertyName("token")] string Token);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OneTimeTokenRequest))]
[JsonSerializable(typeof(OneTimeTokenResponse))]
internal sealed partial class OneTimeTokenJsonContext : JsonSerializerContext;
