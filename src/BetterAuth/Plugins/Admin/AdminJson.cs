using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

// Response shapes of the admin endpoints, with Better Auth's key order. User and Session rows are written by core's
// converters (every column, returned:false ones left out).

/// <summary><c>{user}</c>; the user is null when the id matched no one (set-role, ban, unban answer that way).</summary>
internal sealed record AdminUserResponse([property: JsonPropertyName("user")] User? User);

internal sealed record AdminUserSessionsResponse([property: JsonPropertyName("sessions")] List<Session> Sessions);

/// <summary>list-users: limit and offset are echoed only when given as non-zero numbers, as Better Auth does.</summary>
internal sealed record AdminListUsersResponse(
    [property: JsonPropertyName("users")] List<User> Users,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Limit,
    [property: JsonPropertyName("offset"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Offset);

/// <summary>has-permission: <c>{"error":null,"success":bool}</c>.</summary>
internal sealed record AdminPermissionResponse(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("success")] bool Success);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AdminUserResponse))]
[JsonSerializable(typeof(AdminUserSessionsResponse))]
[JsonSerializable(typeof(AdminListUsersResponse))]
[JsonSerializable(typeof(AdminPermissionResponse))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
