using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// Organization CRUD (routes/crud-org.ts): create, check-slug, update, delete, get-full-organization, set-active, list.
/// Checks run in Better Auth's order, so each failure gets the answer the reference gives first.
/// </summary>
internal sealed class OrganizationEndpoints(OrganizationOptions options, OrganizationAccess access)
{
    public IEnumerable<AuthEndpoint> All() =>
    [
        AuthEndpoint.Post("/organization/create", Create) with
        {
            OperationId = "createOrganization", Summary = "Create an organization",
            Body = [Str("name", "The name of the organization").Required(), Str("slug", "The slug of the organization").Required(),
                Bool("keepCurrentActiveOrganization", "Whether to keep the current active organization active after creating a new one"),
                Str("logo", "The logo of the organization"), AnyObject("metadata", "The metadata of the organization"),
                Str("userId", "The user id of the organization creator. If not provided, the current user will be used. " +
                    "Should only be used by admins or when called by the server.")],
            Response = Returns("Success", ApiSchema.Ref("Organization")),
        },
        AuthEndpoint.Post("/organization/update", Update) with
        {
            OperationId = "updateOrganization", Summary = "Update an organization",
            Body = [Obj("data", "The fields to change", Str("name", "The name of the organization"), Str("slug", "The slug of the organization"),
                    Str("logo", "The logo of the organization"), AnyObject("metadata", "The metadata of the organization")).Required(),
                Str("organizationId", "The organization to update (default: the active organization)")],
            Response = Returns("Success", ApiSchema.Ref("Organization")),
        },
        AuthEndpoint.Post("/organization/delete", Delete) with
        {
            OperationId = "deleteOrganization", Summary = "Delete an organization",
            Body = [Str("organizationId", "The organization id to delete").Required()],
            Response = Returns("The deleted organization's id", ApiSchema.String),
        },
        AuthEndpoint.Post("/organization/set-active", SetActive) with
        {
            OperationId = "setActiveOrganization", Summary = "Set the active organization",
            Body = [Str("organizationId", "The organization id to set as active. It can be null to unset the active organization").OrNull(),
                Str("organizationSlug", "The organization slug to set as active. It can be null to unset the active organization if organizationId is not provided")],
            Response = Returns("Success", ApiSchema.Ref("Organization").OrNull()),
        },
        AuthEndpoint.Get("/organization/get-full-organization", GetFull) with
        {
            OperationId = "getFullOrganization", Summary = "Get the full organization",
            Query = [Str("organizationId", "The organization (default: the active organization)"),
                Str("organizationSlug", "The organization's slug, instead of its id")],
            Response = Returns("Success",
                ApiSchema.ObjectOf(Str("id").Required(), Str("name").Required(), Str("slug").Required(), Str("logo"), Str("metadata"),
                    Date("createdAt").Required(), Models("members", "Member").Required(), Models("invitations", "Invitation").Required()).OrNull()),
        },
        AuthEndpoint.Get("/organization/list", List) with
        {
            OperationId = "listOrganizations", Summary = "List all organizations",
            Response = Returns("Success", ApiSchema.ArrayOf(ApiSchema.Ref("Organization"))),
        },
        AuthEndpoint.Post("/organization/check-slug", CheckSlug) with
        {
            OperationId = "checkOrganizationSlug", Summary = "Check if an organization slug is taken",
            Body = [Str("slug", "The slug to check").Required()],
            Response = Returns("The slug is free", Bool("status").Required()),
        },
    ];

    /// <summary>POST /organization/create: the organization, its creator as <c>creatorRole</c>, and (unless kept) the new active organization.</summary>
    private async ValueTask<AuthResult> Create(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var name = body.RequiredString("name");
        var slug = body.RequiredString("slug");
        var logo = body.String("logo", Presence.Optional);
        var metadata = body.Object("metadata", Presence.Optional);
        var keepActive = body.Bool("keepCurrentActiveOrganization", Presence.Optional) ?? false;
        // `userId` (any value, coerced to a string) only matters for server-side calls without a session: ignored over HTTP.
        var session = await ctx.RequireSessionAsync();
        var user = session.User;

        if (!options.AllowUserToCreateOrganization)
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToCreateOrganization);
        var store = new OrganizationStore(ctx.StoreContext);
        // Guarantees: a burst of creates cannot pass the user's organization limit (each seeing the same count): the
        // count is read under the lock on it; and a slug names one organization: its unique index refuses the second
        // of two creates that both passed the check, answered as the check answers.
        await using var tx = await store.BeginAsync();
        if (options.OrganizationLimit is not null) await store.LockOrganizationCountAsync(user.Id);
        if (options.OrganizationLimit is { } limit && (await store.ListOrganizationsAsync(user.Id)).Count >= limit)
            throw AuthError.Forbidden(OrganizationErrors.OrganizationLimitReached);
        if (await store.FindOrganizationBySlugAsync(slug) is not null)
            throw AuthError.BadRequest(OrganizationErrors.OrganizationAlreadyExists);

        var now = ctx.Auth.Now;
        var organization = new OrganizationRow
        {
            Id = RandomStrings.Id(),
            Name = name,
            Slug = slug,
            Logo = logo,
            CreatedAt = now,
            Metadata = metadata is { } m ? OrganizationMetadata.Serialize(m) : null,
        };
        var member = new MemberRow
        {
            Id = RandomStrings.Id(),
            OrganizationId = organization.Id,
            UserId = user.Id,
            Role = access.CreatorRole,
            CreatedAt = now,
        };
        try
        {
            await store.CreateOrganizationAsync(organization, member);
        }
        catch (UniqueViolationException)
        {
            // The slug's unique index: a concurrent create or update took it after the check.
            throw AuthError.BadRequest(OrganizationErrors.OrganizationAlreadyExists);
        }
        if (!keepActive) await store.SetActiveOrganizationAsync(session.Session.Token, organization.Id);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        ctx.Raise(new OrganizationCreatedEvent(organization, member, user));

        return AuthResult.Json(new OrganizationWithMetadataView(organization.Name, organization.Slug, organization.Logo,
            organization.CreatedAt, metadata, organization.Id, [MemberView.From(member)]));
    }

    /// <summary>POST /organization/check-slug: <c>{status:true}</c> when free, 400 "slug is taken" otherwise.</summary>
    private static async ValueTask<AuthResult> CheckSlug(AuthContext ctx)
    {
        var slug = BodyFields.Read(ctx).RequiredString("slug");
        await ctx.RequireSessionAsync();
        if (await new OrganizationStore(ctx.StoreContext).FindOrganizationBySlugAsync(slug) is not null)
            throw AuthError.BadRequest(OrganizationErrors.SlugIsTaken);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>POST /organization/update: needs <c>organization:update</c>; answers the row with its metadata parsed.</summary>
    private async ValueTask<AuthResult> Update(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var data = new BodyFields(body.Object("data", Presence.Required)!.Value);
        var name = data.String("name", Presence.Optional);
        var slug = data.String("slug", Presence.Optional);
        var logo = data.String("logo", Presence.Optional);
        var metadata = data.Object("metadata", Presence.Optional);
        var organizationId = body.String("organizationId", Presence.Optional);

        var session = await ctx.GetSessionAsync() ?? throw AuthError.Unauthorized(CoreErrors.UserNotFound);
        organizationId = Or(organizationId, ActiveOrganizationId(session));
        if (organizationId is null) throw AuthError.BadRequest(OrganizationErrors.OrganizationNotFound);
        var store = new OrganizationStore(ctx.StoreContext);
        var member = await store.FindMemberAsync(session.User.Id, organizationId)
                     ?? throw AuthError.BadRequest(OrganizationErrors.UserIsNotAMember);
        if (!access.HasPermission(member.Member.Role, "organization", "update"))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToUpdateOrganization);

        // A slug names one organization: checked here for the answer, enforced by its unique index (below) under races.
        if (slug is not null && await store.FindOrganizationBySlugAsync(slug) is { } holder && holder.Id != organizationId)
            throw AuthError.BadRequest(OrganizationErrors.OrganizationAlreadyExists);
        OrganizationRow? updated;
        try
        {
            // An empty `data` changes nothing and answers the organization as it is (the reference 500s on it).
            updated = await store.UpdateOrganizationAsync(organizationId, o =>
            {
                if (name is not null) o.Name = name;
                if (slug is not null) o.Slug = slug;
                if (logo is not null) o.Logo = logo;
                if (metadata is { } m) o.Metadata = OrganizationMetadata.Serialize(m);
            });
        }
        catch (UniqueViolationException)
        {
            // The reference answers 500 when the new slug is taken; it is the same conflict create reports.
            throw AuthError.BadRequest(OrganizationErrors.OrganizationAlreadyExists);
        }
        if (updated is null) return AuthResult.Null;
        return AuthResult.Json(new OrganizationWithMetadataView(updated.Name, updated.Slug, updated.Logo, updated.CreatedAt,
            OrganizationMetadata.Parse(updated.Metadata), updated.Id, null));
    }

    /// <summary>
    /// POST /organization/delete: needs <c>organization:delete</c>; removes the members, invitations and the organization in
    /// one transaction. Like Better Auth, no session, a non-member or an unknown id answer 200 <c>null</c>.
    /// </summary>
    private async ValueTask<AuthResult> Delete(AuthContext ctx)
    {
        var organizationId = BodyFields.Read(ctx).RequiredString("organizationId");
        var session = await ctx.GetSessionAsync();
        if (session is null || organizationId.Length == 0) return AuthResult.Null;
        var store = new OrganizationStore(ctx.StoreContext);
        // Under the organization's lock: the caller's role is read as it stands, and an accept of one of its invitations
        // runs wholly before or after, never adding a member to an organization being deleted. Other organizations'
        // flows do not wait, however many rows this deletes.
        await using var tx = await store.BeginAsync();
        await store.LockOrganizationAsync(organizationId);
        var member = await store.FindMemberAsync(session.User.Id, organizationId);
        if (member is null) return AuthResult.Null;
        if (!access.HasPermission(member.Member.Role, "organization", "delete"))
            throw AuthError.Forbidden(OrganizationErrors.NotAllowedToDeleteOrganization);
        var organization = await store.FindOrganizationAsync(organizationId) ?? throw AuthError.BadRequest();
        if (ActiveOrganizationId(session) == organizationId)
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
        await store.DeleteOrganizationAsync(organizationId);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        ctx.Raise(new OrganizationDeletedEvent(organization, session.User));
        return AuthResult.Json(OrganizationView.From(organization));
    }

    /// <summary>
    /// GET /organization/get-full-organization: by slug, id, or the active organization (none → 200 <c>null</c>).
    /// Asking for one you are not in (or that does not exist) is 403 and clears your active organization.
    /// </summary>
    private async ValueTask<AuthResult> GetFull(AuthContext ctx)
    {
        var organizationId = OrganizationQuery.Optional(ctx, "organizationId");
        var organizationSlug = OrganizationQuery.Optional(ctx, "organizationSlug");
        var membersLimit = OrganizationQuery.Optional(ctx, "membersLimit");
        var session = await ctx.RequireSessionAsync();
        var key = Or(organizationSlug, Or(organizationId, ActiveOrganizationId(session)));
        if (key is null) return AuthResult.Null;

        var store = new OrganizationStore(ctx.StoreContext);
        var full = await LoadFullAsync(store, key, isSlug: !string.IsNullOrEmpty(organizationSlug));
        if (full is null || full.Members.All(m => m.UserId != session.User.Id))
        {
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
            throw AuthError.Forbidden(OrganizationErrors.UserIsNotAMember);
        }
        // Later Better Auth (1.3+) takes membersLimit: at most that many members in the answer (not a number or 0: all).
        if (int.TryParse(membersLimit, out var limit) && limit > 0 && full.Members.Count > limit)
            full = full with { Members = full.Members.Take(limit).ToList() };
        return AuthResult.Json(full);
    }

    /// <summary>
    /// POST /organization/set-active: <c>organizationId: null</c> unsets it (answer <c>null</c>); otherwise the organization
    /// (by slug, id, or the current one) becomes active, its full view is returned and the session cookie re-set.
    /// </summary>
    private async ValueTask<AuthResult> SetActive(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var idIsNull = body.IsNull("organizationId");
        var organizationId = body.String("organizationId", Presence.Nullish);
        var organizationSlug = body.String("organizationSlug", Presence.Optional);
        var session = await ctx.RequireSessionAsync();
        var store = new OrganizationStore(ctx.StoreContext);
        var current = ActiveOrganizationId(session);

        if (string.IsNullOrEmpty(organizationSlug) && idIsNull)
        {
            if (current is null) return AuthResult.Null;
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
            SetSessionCookie(ctx, session, null);
            return AuthResult.Null;
        }
        var key = Or(organizationSlug, organizationId) ?? current;
        if (key is null) return AuthResult.Null;

        var full = await LoadFullAsync(store, key, isSlug: !string.IsNullOrEmpty(organizationSlug));
        if (full is null || full.Members.All(m => m.UserId != session.User.Id))
        {
            await store.SetActiveOrganizationAsync(session.Session.Token, null);
            throw AuthError.Forbidden(OrganizationErrors.UserIsNotAMember);
        }
        await store.SetActiveOrganizationAsync(session.Session.Token, full.Id);
        SetSessionCookie(ctx, session, full.Id);
        return AuthResult.Json(full);
    }

    /// <summary>GET /organization/list: the organizations the user belongs to, rows as stored (metadata as JSON text).</summary>
    private static async ValueTask<AuthResult> List(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        var organizations = await new OrganizationStore(ctx.StoreContext).ListOrganizationsAsync(session.User.Id);
        return AuthResult.Json(organizations.Select(OrganizationView.From).ToList());
    }

    private async Task<FullOrganizationView?> LoadFullAsync(OrganizationStore store, string key, bool isSlug)
    {
        var organization = isSlug ? await store.FindOrganizationBySlugAsync(key) : await store.FindOrganizationAsync(key);
        if (organization is null) return null;
        var invitations = await store.ListInvitationsAsync(organization.Id);
        var members = await store.ListMembersAsync(organization.Id, MembershipLimit(options));
        return new FullOrganizationView(organization.Name, organization.Slug, organization.Logo, organization.CreatedAt,
            organization.Metadata, organization.Id, invitations.Select(InvitationView.From).ToList(),
            members, null);
    }

    /// <summary>Re-sets the session cookie (and cookie cache) with the session's new active organization, as set-active does.</summary>
    private static void SetSessionCookie(AuthContext ctx, SessionWithUser session, string? organizationId)
    {
        session.Session[OrganizationStore.ActiveOrganizationField] = organizationId;
        SessionManager.SetSessionCookie(ctx, session);
    }

    internal static string? ActiveOrganizationId(SessionWithUser session) =>
        session.Session.Get<string>(OrganizationStore.ActiveOrganizationField) is { Length: > 0 } id ? id : null;

    /// <summary>JavaScript's <c>a || b</c> over optional strings: an empty string counts as missing.</summary>
    internal static string? Or(string? first, string? second) => string.IsNullOrEmpty(first) ? (string.IsNullOrEmpty(second) ? null : second) : first;

    /// <summary>Better Auth reads <c>membershipLimit || 100</c>, so 0 means the default.</summary>
    internal static int MembershipLimit(OrganizationOptions options) =>
        options.MembershipLimit > 0 ? options.MembershipLimit : OrganizationOptions.DefaultMembershipLimit;
}
