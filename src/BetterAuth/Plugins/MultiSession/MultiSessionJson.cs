using System.ComponentModel;
using System.Text.Json.Serialization;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.MultiSession;

/// <summary>/multi-session/set-active's body.</summary>
internal sealed record SessionTokenRequest
{
    [JsonPropertyName("sessionToken"), Description("The session token to set as active")] public required string SessionToken { get; init; }
}

/// <summary>/multi-session/revoke's body.</summary>
internal sealed record RevokeDeviceSessionRequest
{
    [JsonPropertyName("sessionToken"), Description("The session token to revoke")] public required string SessionToken { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SessionTokenRequest))]
[JsonSerializable(typeof(RevokeDeviceSessionRequest))]
[JsonSerializable(typeof(List<SessionResponse>))]
internal sealed partial class MultiSessionJsonContext : JsonSerializerContext;
