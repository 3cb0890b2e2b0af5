using System.Globalization;
using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Organization;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Server.Pages;

/// <summary>
/// The admin console's own read-only API under <c>/console/api</c> (not part of Better Auth's API): dashboard numbers
/// and a server-wide view of organizations, which Better Auth's endpoints only show to their members. Requests run
/// through the auth pipeline, so sessions, rate limits and error bodies behave as on the auth API; only users whose
/// role grants the admin plugin's <c>user:list</c> permission get answers.
/// </summary>
public static partial class ConsoleApi
{
    public const string Prefix = "/console/api";
    private const int MaxDays = 90;
    private const int MaxPage = 100;

    public static void Map(WebApplication app)
    {
        var pipeline = app.Services.GetRequiredService<AuthPipeline>();
        void Get(string path, AuthHandler handler)
        {
            var endpoint = new AuthEndpoint("GET", Prefix + path, handler) { Session = SessionRequirement.Required };
            app.MapGet(endpoint.Path, (HttpContext http) => pipeline.HandleAsync(http, endpoint));
        }
        Get("/stats", StatsAsync);
        Get("/organizations", OrganizationsAsync);
        Get("/organizations/{id}", OrganizationAsync);
        Get("/users/{id}/passkeys", UserPasskeysAsync);
        var removePasskey = new AuthEndpoint("POST", Prefix + "/users/{id}/passkeys/{passkeyId}/delete", DeleteUserPasskeyAsync) { Session = SessionRequirement.Required };
        app.MapPost(removePasskey.Path, (HttpContext http) => pipeline.HandleAsync(http, removePasskey));
        // Anything else under the prefix is a JSON-less 404, never the console page.
        app.Map(Prefix + "/{**rest}", (HttpContext http) => { http.Response.StatusCode = StatusCodes.Status404NotFound; });
    }

    /// <summary>GET /console/api/stats?days=30 (1–90).</summary>
    private static async ValueTask<AuthResult> StatsAsync(AuthContext ctx)
    {
        await RequireAdminAsync(ctx);
        var days = IntQuery(ctx, "days", 30, 1, MaxDays);
        var db = ctx.Db;
        var now = ctx.Auth.Now;
        var since = now.Date.AddDays(-(days - 1));

        var users = await db.Users.CountAsync(ctx.Http.RequestAborted);
        var sessions = await db.Sessions.CountAsync(s => s.ExpiresAt > now, ctx.Http.RequestAborted);
        var banned = await db.Users.CountAsync(u => EF.Property<bool?>(u, AdminFields.Banned) == true, ctx.Http.RequestAborted);
        int? organizations = HasOrganizations(ctx) ? await db.Set<OrganizationRow>().CountAsync(ctx.Http.RequestAborted) : null;

        // One column of the window's rows, grouped here: dates are stored as text on SQLite, where SQL date functions
        // would tie this to one provider. The window is at most 90 days of sign-ups.
        var created = await db.Users.Where(u => u.CreatedAt >= since).Select(u => u.CreatedAt).ToListAsync(ctx.Http.RequestAborted);
        var perDay = created.GroupBy(c => c.Date).ToDictionary(g => g.Key, g => g.Count());
        var series = Enumerable.Range(0, days)
            .Select(i => since.AddDays(i))
            .Select(d => new DayCount(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), perDay.GetValueOrDefault(d)))
            .ToList();
        return Json(new ConsoleStats(users, sessions, banned, organizations, days, series), ConsoleJsonContext.Default.ConsoleStats);
    }

    /// <summary>GET /console/api/organizations?search=&amp;limit=&amp;offset=: newest first, with member and pending-invitation counts.</summary>
    private static async ValueTask<AuthResult> OrganizationsAsync(AuthContext ctx)
    {
        await RequireAdminAsync(ctx);
        if (!HasOrganizations(ctx)) throw AuthError.NotFound("The organization plugin is disabled");
        var limit = IntQuery(ctx, "limit", 20, 1, MaxPage);
        var offset = IntQuery(ctx, "offset", 0, 0, int.MaxValue);
        var search = ctx.Query("search")?.Trim();
        var db = ctx.Db;

        var matching = db.Set<OrganizationRow>().AsNoTracking();
        if (!string.IsNullOrEmpty(search)) matching = matching.Where(o => o.Name.Contains(search) || o.Slug.Contains(search));
        var total = await matching.CountAsync(ctx.Http.RequestAborted);
        var page = await matching
            .OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)
            .Skip(offset).Take(limit)
            .Select(o => new OrganizationSummary(o.Id, o.Name, o.Slug, o.Logo, o.CreatedAt,
                db.Set<MemberRow>().Count(m => m.OrganizationId == o.Id),
                db.Set<InvitationRow>().Count(i => i.OrganizationId == o.Id && i.Status == InvitationRow.Pending)))
            .ToListAsync(ctx.Http.RequestAborted);
        return Json(new OrganizationList(page, total), ConsoleJsonContext.Default.OrganizationList);
    }

    /// <summary>GET /console/api/organizations/{id}: the organization, its members (with name and email) and invitations.</summary>
    private static async ValueTask<AuthResult> OrganizationAsync(AuthContext ctx)
    {
        await RequireAdminAsync(ctx);
        if (!HasOrganizations(ctx)) throw AuthError.NotFound("The organization plugin is disabled");
        var id = ctx.Http.Request.RouteValues["id"] as string ?? "";
        var db = ctx.Db;
        var ct = ctx.Http.RequestAborted;

        var org = await db.Set<OrganizationRow>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct)
                  ?? throw AuthError.NotFound("Organization not found");
        var members = await (
                from m in db.Set<MemberRow>().AsNoTracking()
                where m.OrganizationId == id
                join u in db.Users.AsNoTracking() on m.UserId equals u.Id into users
                from u in users.DefaultIfEmpty()
                orderby m.CreatedAt
                select new MemberInfo(m.Id, m.UserId, m.Role, m.CreatedAt, u == null ? null : new MemberUser(u.Id, u.Name, u.Email)))
            .ToListAsync(ct);
        var invitations = await db.Set<InvitationRow>().AsNoTracking()
            .Where(i => i.OrganizationId == id)
            .OrderByDescending(i => i.ExpiresAt)
            .Select(i => new InvitationInfo(i.Id, i.Email, i.Role, i.Status, i.ExpiresAt, i.InviterId))
            .ToListAsync(ct);
        var info = new OrganizationInfo(org.Id, org.Name, org.Slug, org.Logo, org.CreatedAt, org.Metadata);
        return Json(new OrganizationDetails(info, members, invitations), ConsoleJsonContext.Default.OrganizationDetails);
    }

    /// <summary>
    /// The signed-in user must hold the admin plugin's <c>user:list</c> permission (role admin, or listed in
    /// adminUserIds). An admin acting as another user has that user's rights here.
    /// </summary>
    private static async ValueTask RequireAdminAsync(AuthContext ctx, string permission = "list")
    {
        var session = await ctx.RequireSessionAsync();
        var admin = ctx.Auth.Options.Plugins.OfType<AdminPlugin>().FirstOrDefault()
                    ?? throw AuthError.NotFound("The admin plugin is disabled");
        if (!admin.Access.Can(session.User, "user", "list"))
            throw AuthError.Forbidden("Only administrators can use the console");
        if (!admin.Access.Can(session.User, "user", permission))
            throw AuthError.Forbidden("You are not allowed to do this");
    }

    private static bool HasOrganizations(AuthContext ctx) => ctx.Auth.Options.Plugins.OfType<OrganizationPlugin>().Any();

    /// <summary>An integer query parameter within bounds; anything else (text, out of range, repeated) is a 400.</summary>
    private static int IntQuery(AuthContext ctx, string name, int fallback, int min, int max)
    {
        var values = ctx.Http.Request.Query[name];
        if (values.Count == 0) return fallback;
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw AuthError.InvalidQuery();
        return value;
    }

    /// <summary>The auth pipeline writes JSON with the runtime's types; a JsonElement carries this API's own DTOs through it.</summary>
    private static AuthResult Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        AuthResult.Json(JsonSerializer.SerializeToElement(value, type));
}
