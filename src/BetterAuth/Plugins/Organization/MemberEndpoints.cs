using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// Members (routes/crud-members.ts and has-permission): remove, change roles, the caller's membership, leave, and the
/// permission check. An organization always keeps at least one holder of the creator role.
/// </summary>
internal sealed class MemberEndpoints(OrganizationAccess access)
{
    public IEnumerable<AuthEndpoint> All() =>
    [
        AuthEndpoint.Post("/organization/remove-member", Remove) with
        {
            OperationId = "removeMember", Summary = "Remove a member from an organization",
            Body = [Str("memberIdOrEmail", "The ID or email of the member to remove").Required(),
                Str("organizationId", "The ID of the organization to remove the member from. If not provided, the active organization will be used")],
            Response = Returns("Success", Model("member", "Member").Required()),
        },
        AuthEndpoint.Post("/organization/update-member-role", UpdateRole) with
        {
            OperationId = "updateMemberRole", Summary = "Update the role of a member in an organization",
            Body = [Str("memberId").Required(), Field("role", ApiSchema.StringOrStrings, "The new role, or roles").Required(),
                Str("organizationId", "The organization (default: the active organization)")],
            Response = Returns("Success", ApiSchema.Ref("Member")),
        },
        AuthEndpoint.Get("/organization/get-active-member", GetActive) with
        {
            OperationId = "getActiveMember", Summary = "Get the member details of the active organization",
            Response = Returns("Success",
                ApiSchema.ObjectOf(Str("id").Required(), Str("organizationId").Required(), Str("userId").Required(), Str("role").Required(),
                    Date("createdAt").Required(), Obj("user", null, Str("email").Required(), Str("name").Required(), Str("image")))),
        },
        AuthEndpoint.Post("/organization/leave", Leave) with
        {
            OperationId = "leaveOrganization", Summary = "Leave an organization",
            Body = [Str("organizationId", "The organization to leave").Required()],
            Response = Returns("The membership that ended", ApiSchema.Ref("Member")),
        },
        AuthEndpoint.Post("/organization/has-permission", HasPermission) with
        {
            OperationId = "hasPermission", Summary = "Check if the user has permission",
            Body = [Field("permissions", ApiSchema.MapOf(ApiSchema.Strings), "The permission to check: actions by resource").Required(),
                Field("permission", ApiSchema.MapOf(ApiSchema.Strings), "Deprecated form of permissions"),
                Str("organizationId", "The organization (default: the active organization)")],
            Response = Returns("Success", Bool("success").Required(), Str("error")),
        },
    ];

    /// <summary>
    /// POST /organization/remove-member {memberIdOrEmail}: needs <c>member:delete</c> (refused with 401, as in Better Auth);
    /// only creator-role holders remove one another, and never the last one. No organization → 200 <c>null</c>.
    /// </summary>
    private async ValueTask<AuthResult> Remove(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var memberIdOrEmail = body.RequiredString("memberIdOrEmail");
        var organizationId = body.String("organizationId", Presence.Optional);
        var session = await ctx.RequireSessionAsync();
        organizationId = OrganizationEndpoints.Or(organizationId, OrganizationEndpoints.ActiveOrganizationId(session));
        if (organizationId is null) return AuthResult.Null;

        var store = new OrganizationStore(ctx.StoreContext);
        // Guarantee: the organization keeps a holder of the creator role. Removals, leaves and role changes of one
        // organization run one at a time under its lock, so two of them cannot each count the other owner.
        await using var tx = await store.BeginAsync();
        await store.LockOrganizationAsync(organizationId);
        var remover = await store.FindMemberAsync(session.User.Id, organizationId)
                      ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        var target = (memberIdOrEmail.Contains('@')
                         ? await store.FindMemberByEmailAsync(memberIdOrEmail.ToLowerInvariant(), organizationId)
                         : await store.FindMemberByIdAsync(memberIdOrEmail))
                     ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        if (access.IsCreator(target.Member.Role))
        {
            if (!access.IsCreator(remover.Member.Role) || await CountCreatorsAsync(store, organizationId) <= 1)
                throw AuthError.BadRequest(OrganizationErrors.CannotLeaveAsOnlyOwner);
        }
        if (!access.HasPermission(remover.Member.Role, "member", "delete"))
            throw AuthError.Unauthorized(OrganizationErrors.NotAllowedToDeleteMember);
        if (target.Member.OrganizationId != organizationId)
            throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);

        await store.DeleteMemberAsync(target.Member.Id);
        if (target.Member.UserId == session.User.Id && OrganizationEndpoints.ActiveOrganizationId(session) == organizationId)
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        return AuthResult.Json(new RemoveMemberResponse(MemberWithUserView.From(target.Member, target.User)));
    }

    /// <summary>
    /// POST /organization/update-member-role {memberId, role|role[]}: needs <c>member:update</c>; only creator-role holders
    /// may grant the creator role or change a member who holds it. Answers the updated member row.
    /// </summary>
    private async ValueTask<AuthResult> UpdateRole(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var roles = body.Roles("role", Presence.Required)!;
        var memberId = body.RequiredString("memberId");
        var organizationId = body.String("organizationId", Presence.Optional);
        var session = await ctx.RequireSessionAsync();
        // Better Auth refuses an empty role string with a bare 400 (an empty list passes and stores "").
        if (roles.Length == 0 && body.IsString("role")) throw AuthError.BadRequest();
        organizationId = OrganizationEndpoints.Or(organizationId, OrganizationEndpoints.ActiveOrganizationId(session));
        if (organizationId is null) throw AuthError.BadRequest(OrganizationErrors.NoActiveOrganization);

        var store = new OrganizationStore(ctx.StoreContext);
        // Under the organization's lock: the permission checks read roles no concurrent change of this organization
        // can alter before the write, and removals and leaves count owners after (or before) this change, never during.
        await using var tx = await store.BeginAsync();
        await store.LockOrganizationAsync(organizationId);
        var updater = await store.FindMemberAsync(session.User.Id, organizationId)
                      ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        var target = updater.Member.Id == memberId ? updater : await store.FindMemberByIdAsync(memberId);
        // Better Auth looks the member up by id in any organization, which lets an admin of one organization change
        // roles in another; a member of another organization is "not found" here.
        if (target is null || target.Member.OrganizationId != organizationId)
            throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        if (!access.IsCreator(updater.Member.Role) && (access.IsCreator(target.Member.Role) || access.IsCreator(roles)))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToUpdateMember);
        if (!access.HasPermission(updater.Member.Role, "member", "update"))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToUpdateMember);

        await store.SetMemberRoleAsync(target.Member.Id, roles);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        target.Member.Role = roles;
        return AuthResult.Json(MemberView.From(target.Member));
    }

    /// <summary>GET /organization/get-active-member: the caller's membership of the active organization, or 200 <c>null</c>.</summary>
    private static async ValueTask<AuthResult> GetActive(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        var organizationId = OrganizationEndpoints.ActiveOrganizationId(session);
        if (organizationId is null) return AuthResult.Null;
        var member = await new OrganizationStore(ctx.StoreContext).FindMemberAsync(session.User.Id, organizationId);
        return member is null ? AuthResult.Null : AuthResult.Json(MemberWithUserView.From(member.Member, member.User));
    }

    /// <summary>POST /organization/leave {organizationId}: the last holder of the creator role cannot leave; answers the removed member.</summary>
    private async ValueTask<AuthResult> Leave(AuthContext ctx)
    {
        var organizationId = BodyFields.Read(ctx).RequiredString("organizationId");
        var session = await ctx.RequireSessionAsync();
        var store = new OrganizationStore(ctx.StoreContext);
        // Guarantee: the last holder of the creator role cannot leave, also when two owners leave at once: both count
        // owners under the organization's lock, one after the other.
        await using var tx = await store.BeginAsync();
        await store.LockOrganizationAsync(organizationId);
        var member = await store.FindMemberAsync(session.User.Id, organizationId)
                     ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        if (access.IsCreator(member.Member.Role) && await CountCreatorsAsync(store, organizationId) <= 1)
            throw AuthError.BadRequest(OrganizationErrors.CannotLeaveAsOnlyOwner);
        await store.DeleteMemberAsync(member.Member.Id);
        if (OrganizationEndpoints.ActiveOrganizationId(session) == organizationId)
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        return AuthResult.Json(MemberWithUserView.From(member.Member, member.User));
    }

    /// <summary>
    /// POST /organization/has-permission {permissions | permission (deprecated), organizationId?}: whether the caller's
    /// role in the organization (else the active one) grants every requested action.
    /// </summary>
    private async ValueTask<AuthResult> HasPermission(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var organizationId = body.String("organizationId", Presence.Optional);
        var permissions = body.Permissions("permissions", Presence.Optional);
        var permission = body.Permissions("permission", Presence.Optional);
        // Exactly one of the two, as the schema's union says.
        if ((permissions is null) == (permission is null)) throw AuthError.InvalidBody();
        var session = await ctx.RequireSessionAsync();
        organizationId = OrganizationEndpoints.Or(organizationId, OrganizationEndpoints.ActiveOrganizationId(session));
        if (organizationId is null) throw AuthError.BadRequest(OrganizationErrors.NoActiveOrganization);
        var member = await new OrganizationStore(ctx.StoreContext).FindMemberAsync(session.User.Id, organizationId)
                     ?? throw AuthError.Unauthorized(OrganizationErrors.UserIsNotAMember);
        var granted = access.HasPermission(member.Member.Role, permissions ?? permission);
        return AuthResult.Json(new PermissionResponse(null, granted));
    }

    private async Task<int> CountCreatorsAsync(OrganizationStore store, string organizationId) =>
        (await store.MemberRolesAsync(organizationId)).Count(access.IsCreator);
}
