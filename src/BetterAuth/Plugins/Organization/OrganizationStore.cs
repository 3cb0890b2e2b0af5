using BetterAuth.Core.Crypto;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BetterAuth.Plugins.Organization;

/// <summary>A member row with its user, as Better Auth's org adapter returns members.</summary>
internal sealed record MemberWithUser(MemberRow Member, User User);

/// <summary>
/// The plugin's reads and writes (Better Auth's getOrgAdapter), over the request's database context. Flows that check
/// and then write (invite, accept, remove, leave, change a role, delete) run inside <see cref="BeginAsync"/> and first
/// take <see cref="LockOrganizationAsync"/>, so concurrent requests on one organization cannot both pass a check that
/// only one of them should (two accepts of one invitation, two last owners leaving), while requests on other
/// organizations never wait for them.
/// </summary>
internal sealed class OrganizationStore(AuthStoreContext ctx)
{
    public const string ActiveOrganizationField = "activeOrganizationId";

    private AuthDbContext Db => ctx.Db;
    private DbSet<OrganizationRow> Organizations => Db.Set<OrganizationRow>();
    private DbSet<MemberRow> Members => Db.Set<MemberRow>();
    private DbSet<InvitationRow> Invitations => Db.Set<InvitationRow>();
    /// <summary>Stops reads and lock waits when the caller goes away; writes are never cut short (see <see cref="AuthStore"/>).</summary>
    private CancellationToken Aborted => ctx.Aborted;

    /// <summary>A write transaction, for a flow's checks and writes; its locks are held until it ends.</summary>
    public Task<IDbContextTransaction> BeginAsync() => Db.Database.BeginTransactionAsync(Aborted);

    /// <summary>
    /// Holds the organization's lock until the transaction ends: every flow that checks the organization's members or
    /// invitations and then writes them takes it before its first read, so those flows run one at a time per
    /// organization (on SQLite the write transaction alone does that; see <see cref="StorageLocks"/>).
    /// </summary>
    public Task LockOrganizationAsync(string organizationId) => Db.LockAsync(OrganizationLock(organizationId), Aborted);

    /// <summary>The name of an organization's lock (<see cref="StorageLocks.LockAsync"/>).</summary>
    public static string OrganizationLock(string organizationId) => "organization:" + organizationId;

    /// <summary>
    /// Holds the lock on the user's count of organizations until the transaction ends: creates of one user run one at a
    /// time, so a burst cannot pass the organization limit with each create seeing the same count.
    /// </summary>
    public Task LockOrganizationCountAsync(string userId) => Db.LockAsync("organization-count:" + userId, Aborted);

    // ---- organizations ----------------------------------------------------------------------------

    public async Task<OrganizationRow?> FindOrganizationAsync(string id) =>
        (await ReadAsync(OrganizationReads.OrganizationById, id, OrganizationReads.Organization)).FirstOrDefault();

    public async Task<OrganizationRow?> FindOrganizationBySlugAsync(string slug) =>
        (await ReadAsync(OrganizationReads.OrganizationBySlug, slug, OrganizationReads.Organization)).FirstOrDefault();

    /// <summary>The organizations the user is a member of.</summary>
    public Task<List<OrganizationRow>> ListOrganizationsAsync(string userId) =>
        ReadAsync(OrganizationReads.OrganizationsOfUser, userId, OrganizationReads.Organization);

    private Task<List<T>> ReadAsync<T>(string sql, string parameter, Func<System.Data.Common.DbDataReader, T> map) =>
        ctx.Auth.Reader.ListAsync(Db, sql, parameter, map, Aborted);

    /// <summary>Writes the organization and its creator's membership in one transaction (one SaveChanges).</summary>
    public async Task CreateOrganizationAsync(OrganizationRow organization, MemberRow creator)
    {
        Organizations.Add(organization);
        Members.Add(creator);
        try
        {
            await Db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (UniqueViolationException.Matches(e))
        {
            throw new UniqueViolationException(e);
        }
        finally
        {
            Db.ChangeTracker.Clear();
        }
    }

    /// <summary>Applies the changed columns; a slug another organization holds surfaces as <see cref="UniqueViolationException"/>.</summary>
    public async Task<OrganizationRow?> UpdateOrganizationAsync(string id, Action<OrganizationRow> change)
    {
        var row = await Organizations.FirstOrDefaultAsync(o => o.Id == id, Aborted);
        if (row is null) return null;
        change(row);
        try
        {
            await Db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (UniqueViolationException.Matches(e))
        {
            throw new UniqueViolationException(e);
        }
        finally
        {
            Db.ChangeTracker.Clear();
        }
        return row;
    }

    /// <summary>Deletes the organization with its members and invitations; call inside a transaction.</summary>
    public async Task DeleteOrganizationAsync(string id)
    {
        await Members.Where(m => m.OrganizationId == id).ExecuteDeleteAsync();
        await Invitations.Where(i => i.OrganizationId == id).ExecuteDeleteAsync();
        await Organizations.Where(o => o.Id == id).ExecuteDeleteAsync();
    }

    // ---- members ----------------------------------------------------------------------------------

    /// <summary>Joins each member row to its user (EF cannot filter after projecting into a record, so callers filter first).</summary>
    private IQueryable<MemberWithUser> WithUsers(IQueryable<MemberRow> members) =>
        from m in members
        join u in Db.Users.AsNoTracking() on m.UserId equals u.Id
        select new MemberWithUser(m, u);

    /// <summary>The user's membership of the organization (null when either is missing).</summary>
    public Task<MemberWithUser?> FindMemberAsync(string userId, string organizationId) =>
        WithUsers(Members.AsNoTracking().Where(m => m.UserId == userId && m.OrganizationId == organizationId)).FirstOrDefaultAsync(Aborted);

    /// <summary>A member by id, in any organization.</summary>
    public Task<MemberWithUser?> FindMemberByIdAsync(string memberId) =>
        WithUsers(Members.AsNoTracking().Where(m => m.Id == memberId)).FirstOrDefaultAsync(Aborted);

    /// <summary>The membership of the user with this email (stored lower case) in the organization.</summary>
    public Task<MemberWithUser?> FindMemberByEmailAsync(string email, string organizationId) =>
        (from m in Members.AsNoTracking()
         join u in Db.Users.AsNoTracking() on m.UserId equals u.Id
         where m.OrganizationId == organizationId && u.Email == email
         select new MemberWithUser(m, u)).FirstOrDefaultAsync(Aborted);

    /// <summary>Members with their users, oldest first, at most <paramref name="limit"/> as Better Auth reads them.</summary>
    public Task<List<MemberWithUserView>> ListMembersAsync(string organizationId, int limit) =>
        ReadAsync(OrganizationReads.MembersWithUsers(limit), organizationId, OrganizationReads.MemberWithUser);

    public Task<int> CountMembersAsync(string organizationId) =>
        Members.CountAsync(m => m.OrganizationId == organizationId, Aborted);

    public Task<List<string>> MemberRolesAsync(string organizationId) =>
        Members.Where(m => m.OrganizationId == organizationId).Select(m => m.Role).ToListAsync(Aborted);

    public async Task<MemberRow> AddMemberAsync(string organizationId, string userId, string role)
    {
        var member = new MemberRow
        {
            Id = RandomStrings.Id(),
            OrganizationId = organizationId,
            UserId = userId,
            Role = role,
            CreatedAt = ctx.Auth.Now,
        };
        Members.Add(member);
        await Db.SaveChangesAsync();
        Db.ChangeTracker.Clear();
        return member;
    }

    public Task<int> SetMemberRoleAsync(string memberId, string role) =>
        Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role));

    public Task<int> DeleteMemberAsync(string memberId) =>
        Members.Where(m => m.Id == memberId).ExecuteDeleteAsync();

    // ---- invitations ------------------------------------------------------------------------------

    public Task<InvitationRow?> FindInvitationAsync(string id) =>
        Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, Aborted);

    /// <summary>Pending invitations that have not expired, of the organization (and of one address when given).</summary>
    public Task<List<InvitationRow>> PendingInvitationsAsync(string organizationId, string? email = null)
    {
        var now = ctx.Auth.Now;
        var query = Invitations.AsNoTracking()
            .Where(i => i.OrganizationId == organizationId && i.Status == InvitationRow.Pending && i.ExpiresAt > now);
        if (email is not null) query = query.Where(i => i.Email == email);
        return query.ToListAsync(Aborted);
    }

    public Task<List<InvitationRow>> ListInvitationsAsync(string organizationId) =>
        ReadAsync(OrganizationReads.InvitationsOfOrganization, organizationId, OrganizationReads.Invitation);

    public async Task<InvitationRow> CreateInvitationAsync(InvitationRow invitation)
    {
        Invitations.Add(invitation);
        await Db.SaveChangesAsync();
        Db.ChangeTracker.Clear();
        return invitation;
    }

    /// <summary>
    /// Moves an invitation to <paramref name="status"/>, only from <paramref name="from"/> when given; returns whether this
    /// request changed it, so of two concurrent answers to one invitation only one proceeds.
    /// </summary>
    public async Task<bool> SetInvitationStatusAsync(string id, string status, string? from = null)
    {
        var query = Invitations.Where(i => i.Id == id);
        if (from is not null) query = query.Where(i => i.Status == from);
        return await query.ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, status)) == 1;
    }

    // ---- sessions ---------------------------------------------------------------------------------

    /// <summary>Sets or clears the session's active organization. Like Better Auth's updateSession, updatedAt is left alone.</summary>
    public Task<int> SetActiveOrganizationAsync(string sessionToken, string? organizationId) =>
        ctx.Store.SetSessionFieldAsync(sessionToken, ActiveOrganizationField, organizationId);
}
