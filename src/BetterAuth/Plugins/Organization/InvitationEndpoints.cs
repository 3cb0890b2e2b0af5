using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// Invitations (routes/crud-invites.ts): invite, cancel, accept, reject, get one, list. An invitation is answered only
/// by the signed-in user whose email it was sent to, while it is pending and unexpired, and only once.
/// </summary>
internal sealed class InvitationEndpoints(OrganizationOptions options, OrganizationAccess access)
{
    public const string MessageKind = "organization-invitation";

    public IEnumerable<AuthEndpoint> All() =>
    [
        AuthEndpoint.Post("/organization/invite-member", Invite) with
        {
            OperationId = "createInvitation", Summary = "Invite a user to an organization",
            Body = [Str("email", "The email address of the user to invite").Required(),
                Field("role", ApiSchema.StringOrStrings, "The role, or roles, the member will have").Required(),
                Str("organizationId", "The organization ID to invite the user to"),
                Bool("resend", "Resend the invitation email, if the user is already invited"), Str("teamId", "The team ID to invite the user to")],
            Response = Returns("Success", ApiSchema.Ref("Invitation")),
        },
        AuthEndpoint.Post("/organization/cancel-invitation", Cancel) with
        {
            OperationId = "cancelInvitation", Summary = "Cancel an invitation to an organization",
            Body = [Str("invitationId", "The ID of the invitation to cancel").Required()],
            Response = Returns("The canceled invitation", ApiSchema.Ref("Invitation")),
        },
        AuthEndpoint.Post("/organization/accept-invitation", Accept) with
        {
            OperationId = "acceptInvitation", Summary = "Accept an invitation to an organization",
            Body = [Str("invitationId", "The ID of the invitation to accept").Required()],
            Response = Returns("Success", Model("invitation", "Invitation").Required(), Model("member", "Member").Required()),
        },
        AuthEndpoint.Get("/organization/get-invitation", Get) with
        {
            OperationId = "getInvitation", Summary = "Get an invitation by ID",
            Query = [Str("id", "The ID of the invitation").Required()],
            Response = Returns("Success", Str("email").Required(), Str("expiresAt").Required(), Str("id").Required(), Str("inviterEmail").Required(),
                Str("inviterId").Required(), Str("organizationId").Required(), Str("organizationName").Required(), Str("organizationSlug").Required(),
                Str("role").Required(), Str("status").Required()),
        },
        AuthEndpoint.Post("/organization/reject-invitation", Reject) with
        {
            OperationId = "rejectInvitation", Summary = "Reject an invitation to an organization",
            Body = [Str("invitationId", "The ID of the invitation to reject").Required()],
            Response = Returns("Success", Model("invitation", "Invitation").Required(), Field("member", ApiSchema.Null).Required()),
        },
        AuthEndpoint.Get("/organization/list-invitations", List) with
        {
            OperationId = "listInvitations", Summary = "List the invitations of an organization",
            Query = [Str("organizationId", "The organization (default: the active organization)")],
            Response = Returns("Success", ApiSchema.ArrayOf(ApiSchema.Ref("Invitation"))),
        },
    ];

    /// <summary>
    /// POST /organization/invite-member: needs <c>invitation:create</c>; only holders of the creator role may invite with it.
    /// The address is stored lower case and an <c>organization-invitation</c> message carries the id and accept link.
    /// </summary>
    private async ValueTask<AuthResult> Invite(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var email = body.RequiredString("email");
        var roles = body.Roles("role", Presence.Required)!;
        var organizationId = body.String("organizationId", Presence.Optional);
        var resend = body.Bool("resend", Presence.Optional) ?? false;
        body.String("teamId", Presence.Optional); // typed like Better Auth's schema; teams are not enabled, so it is not stored
        var session = await ctx.RequireSessionAsync();

        organizationId = OrganizationEndpoints.Or(organizationId, OrganizationEndpoints.ActiveOrganizationId(session));
        if (organizationId is null) throw AuthError.BadRequest(OrganizationErrors.OrganizationNotFound);
        var store = new OrganizationStore(ctx.StoreContext);
        var inviter = await store.FindMemberAsync(session.User.Id, organizationId)
                      ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        if (!access.HasPermission(inviter.Member.Role, "invitation", "create"))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToInvite);
        if (!access.IsCreator(inviter.Member.Role) && access.IsCreator(roles))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToInviteWithRole);

        // Emails are stored lower case; Better Auth looks the address up as typed, so a differently cased address of a
        // member or an invitee slips past these checks there.
        email = email.ToLowerInvariant();
        OrganizationRow organization;
        InvitationRow invitation;
        // Guarantee: a burst of invitations cannot pass the invitation limit or invite one address twice (each seeing
        // the same pending invitations): from the checks to the write, one transaction holding the organization's lock.
        await using (var tx = await store.BeginAsync())
        {
            await store.LockOrganizationAsync(organizationId);
            if (await store.FindMemberByEmailAsync(email, organizationId) is not null)
                throw AuthError.BadRequest(OrganizationErrors.UserIsAlreadyAMember);
            var pending = await store.PendingInvitationsAsync(organizationId, email);
            if (pending.Count > 0 && !resend) throw AuthError.BadRequest(OrganizationErrors.UserIsAlreadyInvited);
            if (pending.Count > 0 && options.CancelPendingInvitationsOnReInvite)
                foreach (var old in pending) await store.SetInvitationStatusAsync(old.Id, InvitationRow.Canceled);

            organization = await store.FindOrganizationAsync(organizationId)
                           ?? throw AuthError.BadRequest(OrganizationErrors.OrganizationNotFound);
            if ((await store.PendingInvitationsAsync(organizationId)).Count >= options.InvitationLimit)
                throw AuthError.Forbidden(OrganizationErrors.InvitationLimitReached);

            var expiresIn = options.InvitationExpiresIn > 0 ? options.InvitationExpiresIn : OrganizationOptions.DefaultInvitationExpiresIn;
            invitation = await store.CreateInvitationAsync(new InvitationRow
            {
                Id = RandomStrings.Id(),
                OrganizationId = organizationId,
                Email = email,
                Role = roles,
                Status = InvitationRow.Pending,
                ExpiresAt = ctx.Auth.Now.AddSeconds(expiresIn),
                InviterId = session.User.Id,
            });
            // Queued in the same transaction as the invitation.
            await ctx.GetService<AuthMessenger>().SendAsync(ctx, new AuthMessage(MessageKind, invitation.Email)
            {
                Token = invitation.Id,
                Url = AcceptUrl(ctx, invitation.Id),
                Data = new Dictionary<string, string?> { ["organizationId"] = organization.Id, ["role"] = invitation.Role },
            });
            await tx.CommitAsync(ctx.Http.RequestAborted);
        }
        return AuthResult.Json(InvitationView.From(invitation));
    }

    /// <summary>POST /organization/cancel-invitation: needs <c>invitation:cancel</c> in the invitation's organization.</summary>
    private async ValueTask<AuthResult> Cancel(AuthContext ctx)
    {
        var invitationId = BodyFields.Read(ctx).RequiredString("invitationId");
        var session = await ctx.RequireSessionAsync();
        var store = new OrganizationStore(ctx.StoreContext);
        var invitation = await store.FindInvitationAsync(invitationId)
                         ?? throw AuthError.BadRequest(OrganizationErrors.InvitationNotFound);
        var member = await store.FindMemberAsync(session.User.Id, invitation.OrganizationId)
                     ?? throw AuthError.BadRequest(OrganizationErrors.MemberNotFound);
        if (!access.HasPermission(member.Member.Role, "invitation", "cancel"))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToCancelInvitation);
        // One unconditional write, no check to keep: racing an accept, either order is one the requests could have
        // come in one after the other (Better Auth, too, cancels an invitation whatever its status).
        await store.SetInvitationStatusAsync(invitation.Id, InvitationRow.Canceled);
        invitation.Status = InvitationRow.Canceled;
        return AuthResult.Json(InvitationView.From(invitation));
    }

    /// <summary>
    /// POST /organization/accept-invitation: the membership, the invitation's new status and the active organization
    /// are written in one transaction that only the first of concurrent accepts gets through.
    /// </summary>
    private async ValueTask<AuthResult> Accept(AuthContext ctx)
    {
        var invitationId = BodyFields.Read(ctx).RequiredString("invitationId");
        var session = await ctx.RequireSessionAsync();
        var store = new OrganizationStore(ctx.StoreContext);
        var invitation = await FindAnswerableAsync(ctx, store, invitationId, session, OrganizationErrors.InvitationNotFound);

        // Guarantee: one membership per accepted invitation and never past the membership limit. The organization's lock
        // orders concurrent accepts (and removals, leaves, deletes) of this organization; the status moves from
        // pending only once (a conditional update), so of two accepts of one invitation only the first adds a member.
        await using var tx = await store.BeginAsync();
        await store.LockOrganizationAsync(invitation.OrganizationId);
        if (await store.CountMembersAsync(invitation.OrganizationId) >= OrganizationEndpoints.MembershipLimit(options))
            throw AuthError.Forbidden(OrganizationErrors.MembershipLimitReached);
        // Better Auth adds a second membership when a member accepts another invitation to the same organization.
        if (await store.FindMemberAsync(session.User.Id, invitation.OrganizationId) is not null)
            throw AuthError.BadRequest(OrganizationErrors.UserIsAlreadyAMember);
        if (!await store.SetInvitationStatusAsync(invitation.Id, InvitationRow.Accepted, from: InvitationRow.Pending))
            throw AuthError.BadRequest(OrganizationErrors.InvitationNotFound);
        var member = await store.AddMemberAsync(invitation.OrganizationId, session.User.Id, invitation.Role ?? "member");
        await store.SetActiveOrganizationAsync(session.Session.Token, invitation.OrganizationId);
        await tx.CommitAsync(ctx.Http.RequestAborted);

        invitation.Status = InvitationRow.Accepted;
        ctx.Raise(new MemberAddedEvent(member, session.User, invitation));
        return AuthResult.Json(new AcceptInvitationResponse(InvitationView.From(invitation), MemberView.From(member)));
    }

    /// <summary>POST /organization/reject-invitation: marks it rejected; answers <c>{invitation, member: null}</c>.</summary>
    private async ValueTask<AuthResult> Reject(AuthContext ctx)
    {
        var invitationId = BodyFields.Read(ctx).RequiredString("invitationId");
        var session = await ctx.RequireSessionAsync();
        var store = new OrganizationStore(ctx.StoreContext);
        var invitation = await FindAnswerableAsync(ctx, store, invitationId, session, OrganizationErrors.InvitationNotFoundBang);
        // Only from pending (a conditional update): a reject racing an accept cannot undo the membership's invitation.
        if (!await store.SetInvitationStatusAsync(invitation.Id, InvitationRow.Rejected, from: InvitationRow.Pending))
            throw AuthError.BadRequest(OrganizationErrors.InvitationNotFoundBang);
        invitation.Status = InvitationRow.Rejected;
        return AuthResult.Json(new RejectInvitationResponse(InvitationView.From(invitation), null));
    }

    /// <summary>GET /organization/get-invitation?id: a pending invitation addressed to the caller, with organization and inviter names.</summary>
    private async ValueTask<AuthResult> Get(AuthContext ctx)
    {
        var id = OrganizationQuery.Required(ctx, "id");
        var session = await ctx.GetSessionAsync() ?? throw AuthError.Unauthorized(OrganizationErrors.NotAuthenticated);
        var store = new OrganizationStore(ctx.StoreContext);
        var invitation = await store.FindInvitationAsync(id);
        if (invitation is null || invitation.Status != InvitationRow.Pending || invitation.ExpiresAt < ctx.Auth.Now)
            throw AuthError.BadRequest(OrganizationErrors.InvitationNotFoundBang);
        if (!SameEmail(invitation.Email, session.User.Email))
            throw AuthError.Forbidden(OrganizationErrors.NotTheRecipient);
        if (options.RequireEmailVerificationOnInvitation && !session.User.EmailVerified)
            throw AuthError.Forbidden(OrganizationErrors.EmailVerificationRequiredToView);
        var organization = await store.FindOrganizationAsync(invitation.OrganizationId)
                           ?? throw AuthError.BadRequest(OrganizationErrors.OrganizationNotFound);
        var inviter = await store.FindMemberAsync(invitation.InviterId, invitation.OrganizationId)
                      ?? throw AuthError.BadRequest(OrganizationErrors.InviterNoLongerMember);
        return AuthResult.Json(new InvitationDetailsView(invitation.OrganizationId, invitation.Email, invitation.Role,
            invitation.Status, invitation.ExpiresAt, invitation.InviterId, invitation.Id,
            organization.Name, organization.Slug, inviter.User.Email));
    }

    /// <summary>GET /organization/list-invitations: every invitation of the organization (any status), for its members.</summary>
    private static async ValueTask<AuthResult> List(AuthContext ctx)
    {
        var organizationId = OrganizationQuery.Optional(ctx, "organizationId");
        var session = await ctx.RequireSessionAsync();
        organizationId = OrganizationEndpoints.Or(organizationId, OrganizationEndpoints.ActiveOrganizationId(session));
        if (organizationId is null) throw AuthError.BadRequest(OrganizationErrors.OrganizationIdRequired);
        var store = new OrganizationStore(ctx.StoreContext);
        if (await store.FindMemberAsync(session.User.Id, organizationId) is null)
            throw AuthError.Forbidden(OrganizationErrors.NotAMemberOfThisOrganization);
        var invitations = await store.ListInvitationsAsync(organizationId);
        return AuthResult.Json(invitations.Select(InvitationView.From).ToList());
    }

    /// <summary>The checks accept and reject share: pending, unexpired, addressed to the caller (and, if required, a verified caller).</summary>
    private async Task<InvitationRow> FindAnswerableAsync(AuthContext ctx, OrganizationStore store, string id, SessionWithUser session, string notFound)
    {
        var invitation = await store.FindInvitationAsync(id);
        if (invitation is null || invitation.ExpiresAt < ctx.Auth.Now || invitation.Status != InvitationRow.Pending)
            throw AuthError.BadRequest(notFound);
        if (!SameEmail(invitation.Email, session.User.Email))
            throw AuthError.Forbidden(OrganizationErrors.NotTheRecipient);
        if (options.RequireEmailVerificationOnInvitation && !session.User.EmailVerified)
            throw AuthError.Forbidden(OrganizationErrors.EmailVerificationRequiredToAnswer);
        return invitation;
    }

    private static bool SameEmail(string a, string b) => string.Equals(a.ToLowerInvariant(), b.ToLowerInvariant(), StringComparison.Ordinal);

    private string AcceptUrl(AuthContext ctx, string invitationId) =>
        (string.IsNullOrEmpty(options.AcceptInvitationUrl) ? OrganizationOptions.DefaultAcceptInvitationUrl : options.AcceptInvitationUrl)
            .Replace("{origin}", ctx.Auth.BaseOrigin ?? ctx.RequestOrigin, StringComparison.Ordinal)
            .Replace("{baseURL}", ctx.BaseUrl, StringComparison.Ordinal)
            .Replace("{id}", Uri.EscapeDataString(invitationId), StringComparison.Ordinal);
}
