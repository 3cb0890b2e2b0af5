using System.Text.Json.Serialization;
using BetterAuth.Core.Json;

namespace BetterAuth.Server.Pages;

/// <summary>GET /console/api/stats: totals and sign-ups per UTC day (oldest first, every day present).</summary>
public sealed record ConsoleStats(int Users, int ActiveSessions, int BannedUsers, int? Organizations, int Days, List<DayCount> SignUps);

/// <summary>One UTC day as <c>yyyy-MM-dd</c> and how many users were created on it.</summary>
public sealed record DayCount(string Date, int Count);

public sealed record OrganizationSummary(string Id, string Name, string Slug, string? Logo, DateTime CreatedAt, int Members, int PendingInvitations);

public sealed record OrganizationList(List<OrganizationSummary> Organizations, int Total);

public sealed record OrganizationInfo(string Id, string Name, string Slug, string? Logo, DateTime CreatedAt, string? Metadata);

public sealed record MemberUser(string Id, string Name, string Email);

public sealed record MemberInfo(string Id, string UserId, string Role, DateTime CreatedAt, MemberUser? User);

public sealed record InvitationInfo(string Id, string Email, string? Role, string Status, DateTime ExpiresAt, string InviterId);

public sealed record OrganizationDetails(OrganizationInfo Organization, List<MemberInfo> Members, List<InvitationInfo> Invitations);

/// <summary>Dates are written as the auth API writes them (JS toISOString).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(JsDateConverter)])]
[JsonSerializable(typeof(ConsoleStats))]
[JsonSerializable(typeof(OrganizationList))]
[JsonSerializable(typeof(OrganizationDetails))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
