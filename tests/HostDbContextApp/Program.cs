using System.Security.Claims;
using BetterAuth;
using BetterAuth.AspNetCore;
using BetterAuth.Core.Storage;
using HostDbContextApp;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("App") ?? "Data Source=host-app.db";

// The app's context holds Better Auth's tables; Better Auth is served from it and runs no DDL of its own.
builder.Services.AddDbContext<AppDbContext>((sp, o) => o.UseSqlite(connectionString).UseBetterAuth(sp));
builder.Services.AddBetterAuth(builder.Configuration.GetSection("BetterAuth"))
    .UseDbContext<AppDbContext>()
    .AddTwoFactor()
    .AddUsername();
builder.Services.AddAuthentication(BetterAuthDefaults.AuthenticationScheme).AddBetterAuth();
builder.Services.AddAuthorization();

var app = builder.Build();

// The app's own EF Core migrations create everything, Better Auth's tables included.
await using (var scope = app.Services.CreateAsyncScope())
    await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();

app.UseAuthentication();
app.UseAuthorization();
app.MapBetterAuth();

app.MapPost("/api/notes", async (NoteRequest request, ClaimsPrincipal user, AppDbContext db, TimeProvider time) =>
{
    var note = new Note { UserId = user.GetBetterAuthUserId()!, Text = request.Text, CreatedAt = time.GetUtcNow().UtcDateTime };
    db.Notes.Add(note);
    await db.SaveChangesAsync();
    return Results.Json(new { note.Id, note.Text });
}).RequireAuthorization();

// The app's rows joined with Better Auth's, in one query on one context.
app.MapGet("/api/notes", async (ClaimsPrincipal user, AppDbContext db) =>
{
    var id = user.GetBetterAuthUserId();
    return await (from n in db.Notes
                  join u in db.Users on n.UserId equals u.Id
                  where n.UserId == id
                  orderby n.Id
                  select new { n.Id, n.Text, author = u.Email }).ToListAsync();
}).RequireAuthorization();

app.MapGet("/api/migrations", async (AppDbContext db) => await db.Database.GetAppliedMigrationsAsync());

app.Run();

internal sealed record NoteRequest(string Text);
