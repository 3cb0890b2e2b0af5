using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Server;

/// <summary>
/// Server commands. <c>promote-admin &lt;email&gt;</c> gives an existing user the admin role, so a fresh deployment can
/// get its first administrator without editing the database (the other way is listing user ids in
/// <c>Plugins:Admin:AdminUserIds</c>). <c>rotate-secrets [--batch-size N]</c> rewrites stored two-factor secrets, backup
/// codes, JWT private keys and queued messages with the current secret of <c>BETTER_AUTH_SECRETS</c>, so older secrets can
/// be removed.
/// </summary>
public static class AdminCommands
{
    public const string PromoteAdmin = "promote-admin";
    public const string RotateSecrets = "rotate-secrets";

    /// <summary>True when the command line asks for an admin command.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is PromoteAdmin or RotateSecrets;

    /// <summary>Runs the command; the exit code is 0 on success, 1 on failure (with the reason on stderr).</summary>
    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null, TextWriter? error = null) =>
        args[0] == RotateSecrets
            ? RotateSecretsAsync(services, args, output ?? Console.Out, error ?? Console.Error)
            : PromoteAdminAsync(services, args, output ?? Console.Out, error ?? Console.Error);

    /// <summary>
    /// <c>rotate-secrets [--batch-size N]</c>: idempotent, in batches, safe while servers run (see
    /// <c>ReencryptBetterAuthSecretsAsync</c>). Fails when secrets are not versioned or some value opens with no listed secret.
    /// </summary>
    private static async Task<int> RotateSecretsAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var batchSize = 500;
        if (args.Length == 3 && args[1] == "--batch-size" && int.TryParse(args[2], out var n) && n > 0) batchSize = n;
        else if (args.Length != 1)
        {
            await error.WriteLineAsync($"usage: {RotateSecrets} [--batch-size N]");
            return 1;
        }
        var options = services.GetRequiredService<BetterAuthOptions>();
        if (options.Secrets.Count == 0)
        {
            await error.WriteLineAsync("BETTER_AUTH_SECRETS is not set: list the new secret first and the old one after it " +
                                       "(e.g. BETTER_AUTH_SECRETS=2:<new>,1:<old>), deploy that to every server, then run this command.");
            return 1;
        }
        if (options.Database.MigrateOnStart) await services.MigrateBetterAuthAsync();
        var report = await SecretReencryption.RunAsync(services, BetterAuthCiphertexts, batchSize, CancellationToken.None);
        await output.WriteLineAsync(report.ToString());
        if (report.Unreadable > 0)
        {
            await error.WriteLineAsync($"{report.Unreadable} stored values open with none of the configured secrets; they were left " +
                                       "as they are. Find the secret that made them before removing any.");
            return 1;
        }
        await output.WriteLineAsync($"Every stored value is encrypted with version {report.CurrentVersion}; older secrets are no longer " +
                                    "needed to read stored data (signed cookies and links made with them stop working once they are removed).");
        return 0;
    }

    /// <summary>
    /// Better Auth's encrypted columns, re-encrypted whenever their table exists, even with the plugin off here: a
    /// database shared with another server (or a plugin switched off for now) keeps values only the old secret opens.
    /// </summary>
    private static readonly CiphertextColumn[] BetterAuthCiphertexts =
    [
        new("twoFactor", "id", "secret", CiphertextFormat.Raw),
        new("twoFactor", "id", "backupCodes", CiphertextFormat.Raw),
        new("jwks", "id", "privateKey", CiphertextFormat.JsonString),
        new("authOutbox", "id", "payload", CiphertextFormat.Raw),
    ];

    private static async Task<int> PromoteAdminAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
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
