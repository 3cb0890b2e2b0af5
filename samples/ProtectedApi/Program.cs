using System.Security.Claims;
using BetterAuth;
using BetterAuth.AspNetCore;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using ProtectedApi;

var builder = WebApplication.CreateBuilder(args);

// 1. Better Auth itself: the /api/auth/* endpoints, on SQLite, with the admin and organization plugins. Settings bind
//    from the BetterAuth section (BetterAuth__Secret, BetterAuth__BaseUrl, BetterAuth__Plugins__Admin__…) and are
//    checked at start; the secret is required outside Development.
builder.Services.AddBetterAuth(builder.Configuration.GetSection("BetterAuth"), o =>
{
    o.Database.ConnectionString = builder.Configuration.GetConnectionString("Auth") ?? "Data Source=protected-api.db";
    // Creates Better Auth's tables at start. An app with its own EF Core migrations maps them into its DbContext instead.
    o.Database.MigrateOnStart = true;
})
    .UseSqlite()
    .AddAdmin()
    .AddOrganization();

// 2. Its sessions (cookie or bearer token) authenticate this app's own endpoints; 401/403 are JSON problems.
builder.Services.AddAuthentication(BetterAuthDefaults.AuthenticationScheme).AddBetterAuth();
builder.Services.AddAuthorization(o =>
{
    o.AddPolicy("admin", p => p.RequireBetterAuthRole("admin"));
    o.AddPolicy("invite-members", p => p.RequireOrganizationPermission("invitation", "create"));
});

// 3. React to what happens (sign-ups, sign-ins, organizations...), and seed a first admin in Development.
builder.Services.AddBetterAuthEvents<AuditLog>();
if (builder.Environment.IsDevelopment()) builder.Services.AddHostedService<DevelopmentSeed>();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapBetterAuth();

// Any signed-in user.
app.MapGet("/api/me", (ClaimsPrincipal user, HttpContext http) => new
{
    id = user.GetBetterAuthUserId(),
    email = user.FindFirstValue(ClaimTypes.Email),
    roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value),
    activeOrganizationId = user.GetActiveOrganizationId(),
    sessionExpiresAt = http.GetBetterAuthSession()?.Session.ExpiresAt,
}).RequireAuthorization();

// Users with the admin role (admin plugin's user.role).
app.MapGet("/api/admin/stats", async (AuthDbContext db) => new { users = await db.Users.CountAsync() })
    .RequireAuthorization("admin");

// Members of the active organization whose role may invite (owner, admin): the invitation is made through the
// server-side API as the calling user, so Better Auth's own checks, hooks and events all apply.
app.MapPost("/api/team/invitations", async (InviteRequest request, HttpContext http, BetterAuthApi auth) =>
{
    var call = BetterAuthApiRequest.ForwardedFrom(http, "POST", "/organization/invite-member",
        new { email = request.Email, role = request.Role ?? "member" });
    var answer = await auth.InvokeAsync(call, http.RequestAborted);
    return Results.Content(answer.Text, "application/json", statusCode: answer.Status);
}).RequireAuthorization("invite-members");

app.Run();

internal sealed record InviteRequest(string Email, string? Role);

/// <summary>Kept internal (.NET 10 makes it public by default) so its name cannot clash with other apps' in tests; tests use <see cref="ProtectedApiApp"/>.</summary>
internal partial class Program;
