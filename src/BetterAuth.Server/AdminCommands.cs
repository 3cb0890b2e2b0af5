using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Server;

/// <summary>
/// Server commands for the admin plugin. <c>promote-admin &lt;email&gt;</c> gives an existing user the admin role,
/// so a fresh deployment can get its first administrator without editing the database (the other way is listing
/// user ids in <c>Plugins:Admin:AdminUserIds</c>).
/// </summary>
public static class AdminCommands
{
    public const string PromoteAdmin = "promote-admin";

    /// <summary>True when the command line asks for an admin command.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == PromoteAdmin;

    /// <summary>Runs the command; the exit code is 0 on success, 1 on failure (with the reason on stderr).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args.Length != 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            await error.WriteLineAsync($"usage: {PromoteAdmin} <email>");
            return 1;
        }
        var options = services.GetRequiredService<BetterAuthOptions>();
        var plugin = options.Plugins.OfType<AdminPlugin>().FirstOrDefault();
        if (plugin is null)
        {
            await error.WriteLineAsync("The admin plugin is disabled (Plugins:Admin:Enabled=false); nothing to promote to.");
            return 1;
        }
        // The server creates or extends its tables at start; a command that runs before any start must do the same.
        if (options.Database.MigrateOnStart) await services.MigrateBetterAuthAsync();

        var role = plugin.Options.AdminRoles is { Count: > 0 } roles ? roles[0] : "admin";
        var email = args[1].Trim().ToLowerInvariant();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email);
        if (user is null)
        {
            await error.WriteLineAsync($"No user with the email {email}. Sign the user up first.");
            return 1;
        }
        user[AdminFields.Role] = role;
        user.UpdatedAt = JsDate.Truncate(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
        await services.ForgetCachedSessionsAsync(user.Id); // running instances see the new role at once
        await output.WriteLineAsync($"{email} ({user.Id}) now has the role '{role}'.");
        return 0;
    }
}
