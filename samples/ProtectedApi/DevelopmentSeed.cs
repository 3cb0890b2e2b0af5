using System.Text.Json;
using BetterAuth.AspNetCore;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ProtectedApi;

/// <summary>
/// Development only: signs up a first admin through the server-side API and gives them an organization, so the
/// protected endpoints can be tried at once. Runs after Better Auth created its tables (it is registered after it).
/// </summary>
public sealed partial class DevelopmentSeed(BetterAuthApi auth, IServiceScopeFactory scopes, IConfiguration config, ILogger<DevelopmentSeed> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = config["Seed:AdminEmail"] ?? "admin@example.com";
        var password = config["Seed:AdminPassword"] ?? "change-me-in-development";
        BetterAuthApiResult<BetterAuth.Core.Json.TokenUserResponse> signUp;
        try
        {
            signUp = await auth.SignUpEmailAsync(email, password, "Admin", ct: cancellationToken);
        }
        catch (BetterAuthApiException e) when (e.Code == "USER_ALREADY_EXISTS")
        {
            return;
        }

        // Only an admin may grant roles through the API, so the very first one is written directly.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await db.Users.Where(u => u.Id == signUp.Data.User.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, "role"), "admin"), cancellationToken);
        }

        // Acting as the new admin: the cookies the sign-up answered carry their session.
        await auth.CallAsync<JsonElement>("POST", "/organization/create", new { name = "Acme", slug = "acme" },
            signUp.Response.SessionHeaders(), cancellationToken);
        Seeded(logger, email);
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Seeded {Email} (role admin, owner of organization 'acme')")]
    private static partial void Seeded(ILogger logger, string email);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Names this assembly for tests (<c>WebApplicationFactory&lt;ProtectedApiApp&gt;</c>).</summary>
public sealed class ProtectedApiApp;
