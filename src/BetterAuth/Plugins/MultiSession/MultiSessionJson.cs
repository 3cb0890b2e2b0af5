using System.Text.Json.Serialization;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.MultiSession;

internal sealed record SessionTokenRequest
{
    [JsonPropertyName("sessionToken")] public required string SessionToken { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SessionTokenRequest))]
[JsonSerializable(typeof(List<SessionResponse>))]
internal sealed partial class MultiSessionJsonContext : JsonSerializerContext;
