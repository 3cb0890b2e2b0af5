using System.Text.Json;
using System.Text.Json.Serialization;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Organization;

// Answers in Better Auth's key order: the adapter returns a row's columns in schema order with the id last.

/// <summary>An organization row as /organization/list and get-full-organization answer it: metadata as the stored JSON text.</summary>
internal sealed record OrganizationView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("logo")] string? Logo,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("metadata")] string? Metadata,
    [property: JsonPropertyName("id")] string Id)
{
    public static OrganizationView From(OrganizationRow o) => new(o.Name, o.Slug, o.Logo, o.CreatedAt, o.Metadata, o.Id);
}

/// <summary>
/// An organization as create and update answer it: metadata parsed into an object and left out when there is none;
/// create adds the creator's membership.
/// </summary>
internal sealed record OrganizationWithMetadataView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("logo")] string? Logo,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("members"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<MemberView>? Members);

internal sealed record MemberView(
    [property: JsonPropertyName("organizationId")] string OrganizationId,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("id")] string Id)
{
    public static MemberView From(MemberRow m) => new(m.OrganizationId, m.UserId, m.Role, m.CreatedAt, m.Id);
}

/// <summary>The public part of a member's user that Better Auth joins onto member rows.</summary>
internal sealed record MemberUserView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("image")] string? Image)
{
    public static MemberUserView From(User u) => new(u.Id, u.Name, u.Email, u.Image);
}

internal sealed record MemberWithUserView(
    [property: JsonPropertyName("organizationId")] string OrganizationId,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("user")] MemberUserView User)
{
    public static MemberWithUserView From(MemberRow m, User u) =>
        new(m.OrganizationId, m.UserId, m.Role, m.CreatedAt, m.Id, MemberUserView.From(u));
}

internal sealed record InvitationView(
    [property: JsonPropertyName("organizationId")] string OrganizationId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("inviterId")] string InviterId,
    [property: JsonPropertyName("id")] string Id)
{
    public static InvitationView From(InvitationRow i) => new(i.OrganizationId, i.Email, i.Role, i.Status, i.ExpiresAt, i.InviterId, i.Id);
}

/// <summary>GET /organization/get-invitation: the invitation with the names a recipient needs to decide.</summary>
internal sealed record InvitationDetailsView(
    [property: JsonPropertyName("organizationId")] string OrganizationId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("inviterId")] string InviterId,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("organizationName")] string OrganizationName,
    [property: JsonPropertyName("organizationSlug")] string OrganizationSlug,
    [property: JsonPropertyName("inviterEmail")] string InviterEmail);

/// <summary>get-full-organization and set-active: the row, its invitations and members (with users); teams are off.</summary>
internal sealed record FullOrganizationView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("logo")] string? Logo,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("metadata")] string? Metadata,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("invitations")] List<InvitationView> Invitations,
    [property: JsonPropertyName("members")] List<MemberWithUserView> Members,
    [property: JsonPropertyName("teams")] List<object>? Teams);

internal sealed record AcceptInvitationResponse(
    [property: JsonPropertyName("invitation")] InvitationView Invitation,
    [property: JsonPropertyName("member")] MemberView Member);

internal sealed record RejectInvitationResponse(
    [property: JsonPropertyName("invitation")] InvitationView Invitation,
    [property: JsonPropertyName("member")] MemberView? Member);

internal sealed record RemoveMemberResponse([property: JsonPropertyName("member")] MemberWithUserView Member);

/// <summary>POST /organization/has-permission: <c>error</c> is always null at 1.2.12.</summary>
internal sealed record PermissionResponse(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("success")] bool Success);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OrganizationView))]
[JsonSerializable(typeof(List<OrganizationView>))]
[JsonSerializable(typeof(OrganizationWithMetadataView))]
[JsonSerializable(typeof(FullOrganizationView))]
[JsonSerializable(typeof(MemberView))]
[JsonSerializable(typeof(MemberWithUserView))]
[JsonSerializable(typeof(InvitationView))]
[JsonSerializable(typeof(List<InvitationView>))]
[JsonSerializable(typeof(InvitationDetailsView))]
[JsonSerializable(typeof(AcceptInvitationResponse))]
[JsonSerializable(typeof(RejectInvitationResponse))]
[JsonSerializable(typeof(RemoveMemberResponse))]
[JsonSerializable(typeof(PermissionResponse))]
internal sealed partial class OrganizationJsonContext : JsonSerializerContext;
