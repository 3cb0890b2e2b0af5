using System.Data.Common;
using static BetterAuth.Core.Storage.RowValues;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// The organization reads that answer list and get-full-organization, as plain SQL run by core's row reader (on SQLite,
/// statements kept prepared): EF Core's query pipeline cost more than these indexed lookups themselves (bench/NOTES.md).
/// Same rows, order and limits as the LINQ queries they replace.
/// </summary>
internal static class OrganizationReads
{
    private const string OrganizationColumns = "o.\"id\", o.\"name\", o.\"slug\", o.\"logo\", o.\"createdAt\", o.\"metadata\"";

    /// <summary>
    /// The organizations the user (<c>@p</c>) is a member of. Written as <c>IN</c>, not a correlated <c>EXISTS</c>: SQLite
    /// runs the latter as a scan of every organization in the database, the former as one index lookup per membership.
    /// </summary>
    public const string OrganizationsOfUser =
        $"SELECT {OrganizationColumns} FROM \"organization\" o " +
        "WHERE o.\"id\" IN (SELECT m.\"organizationId\" FROM \"member\" m WHERE m.\"userId\" = @p)";

    public const string OrganizationById = $"SELECT {OrganizationColumns} FROM \"organization\" o WHERE o.\"id\" = @p LIMIT 1";

    public const string OrganizationBySlug = $"SELECT {OrganizationColumns} FROM \"organization\" o WHERE o.\"slug\" = @p LIMIT 1";

    public const string InvitationsOfOrganization =
        "SELECT i.\"id\", i.\"organizationId\", i.\"email\", i.\"role\", i.\"status\", i.\"expiresAt\", i.\"inviterId\" " +
        "FROM \"invitation\" i WHERE i.\"organizationId\" = @p";

    /// <summary>The organization's (<c>@p</c>) first <paramref name="limit"/> members by join date, with their users.</summary>
    public static string MembersWithUsers(int limit) =>
        "SELECT m.\"id\", m.\"organizationId\", m.\"userId\", m.\"role\", m.\"createdAt\", u.\"id\", u.\"name\", u.\"email\", u.\"image\" " +
        "FROM (SELECT * FROM \"member\" WHERE \"organizationId\" = @p ORDER BY \"createdAt\" LIMIT " + limit + ") m " +
        "JOIN \"user\" u ON u.\"id\" = m.\"userId\" ORDER BY m.\"createdAt\"";

    public static OrganizationRow Organization(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Slug = r.GetString(2),
        Logo = NullableString(r, 3),
        CreatedAt = Date(r, 4),
        Metadata = NullableString(r, 5),
    };

    public static InvitationRow Invitation(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        OrganizationId = r.GetString(1),
        Email = r.GetString(2),
        Role = NullableString(r, 3),
        Status = r.GetString(4),
        ExpiresAt = Date(r, 5),
        InviterId = r.GetString(6),
    };

    public static MemberWithUserView MemberWithUser(DbDataReader r) => new(
        r.GetString(1), r.GetString(2), r.GetString(3), Date(r, 4), r.GetString(0),
        new MemberUserView(r.GetString(5), r.GetString(6), r.GetString(7), NullableString(r, 8)));
}
