using System.Security.Claims;
using BetterAuth;
using BetterAuth.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// Better Auth at /api/auth (sign-up, sign-in, sessions, ...), configured from the "BetterAuth" section of
// appsettings.json or environment variables such as BetterAuth__Secret. The settings are checked at start.
builder.Services.AddBetterAuth(builder.Configuration.GetSection("BetterAuth"))
    .UseSqlite();

// Its sessions (cookie or bearer token) authenticate requests to this API's own endpoints.
builder.Services.AddAuthentication(BetterAuthDefaults.AuthenticationScheme).AddBetterAuth();
builder.Services.AddAuthorization();

var app = builder.Build();

// `dotnet run -- migrate` creates or extends Better Auth's tables, then exits (or set BetterAuth:Database:MigrateOnStart).
if (args.Contains("migrate"))
{
    Console.WriteLine(await app.Services.MigrateBetterAuthAsync());
    return;
}

app.UseAuthentication();
app.UseAuthorization();
app.MapBetterAuth();

// Only for signed-in users: 401 otherwise.
app.MapGet("/api/me", (ClaimsPrincipal user) => new
{
    id = user.GetBetterAuthUserId(),
    email = user.FindFirstValue(ClaimTypes.Email),
    name = user.FindFirstValue(ClaimTypes.Name),
}).RequireAuthorization();

app.Run();
