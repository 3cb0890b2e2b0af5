using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace BetterAuth.Tests.Core.Telemetry;

/// <summary>
/// The security events of docs/OBSERVABILITY.md, as an operator's log pipeline receives them: category
/// <c>BetterAuth.Security</c>, the documented event id, name and level, and the documented fields — user ids and the
/// client's address, never an email address or a secret.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SecurityLogTests
{
    private const string Password = "password123";

    private static Dictionary<string, object?> Fields(LogRecord record) => record.Attributes!.ToDictionary(a => a.Key, a => a.Value);

    /// <summary>The one security event with this id: its name and level as documented, no address in its message, its fields.</summary>
    private static Dictionary<string, object?> Event(TelemetryCapture telemetry, int id, string name, LogLevel level)
    {
        var records = telemetry.Logs.Where(l => l.CategoryName == BetterAuthDiagnostics.SecurityLogCategory && l.EventId.Id == id).ToList();
        var record = Assert.Single(records);
        Assert.Equal(name, record.EventId.Name);
        Assert.Equal(level, record.LogLevel);
        Assert.DoesNotContain("@", record.FormattedMessage);
        return Fields(record);
    }

    [Fact]
    public async Task AdminActions_RoleBanSignInOfBannedUserUnbanPasswordAndImpersonation_AreLoggedWithActorAndTarget()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new AdminPlugin()), telemetry.AddTo);
        var admin = host.Client();
        var adminId = (await admin.SignUpAsync("admin@example.com", Password))["user"]!["id"]!.GetValue<string>();
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == adminId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, "role"), "admin")));
        var userId = (await host.Client().SignUpAsync("user@example.com", Password))["user"]!["id"]!.GetValue<string>();

        Assert.Equal(200, (await admin.PostAsync("/admin/set-role", new { userId, role = "auditor" })).Status);
        var role = Event(telemetry, 5022, "RoleChanged", LogLevel.Warning);
        Assert.Equal((userId, "auditor", adminId, "127.0.0.1"), (role["UserId"], role["Role"], role["ActorId"], role["ClientIp"]));

        Assert.Equal(200, (await admin.PostAsync("/admin/set-user-password", new { userId, newPassword = "another-password" })).Status);
        var set = Event(telemetry, 5032, "PasswordSetByAdmin", LogLevel.Warning);
        Assert.Equal((userId, adminId), (set["UserId"], set["ActorId"]));

        Assert.Equal(200, (await admin.PostAsync("/admin/ban-user", new { userId, banReason = "spam", banExpiresIn = 3600 })).Status);
        var ban = Event(telemetry, 5010, "UserBanned", LogLevel.Warning);
        Assert.Equal((userId, adminId), (ban["UserId"], ban["ActorId"]));
        Assert.Equal(host.Runtime.Now.AddHours(1), (DateTime)ban["BanExpires"]!);

        // The banned user's sign-in is refused: a failed sign-in with the ban as its error type.
        Assert.Equal(403, (await host.Client().PostAsync("/sign-in/email", new { email = "user@example.com", password = "another-password" })).Status);
        var refused = Event(telemetry, 5001, "SignInFailed", LogLevel.Warning);
        Assert.Equal(("email", "BANNED_USER", "signInEmail"), (refused["SignInMethod"], refused["ErrorType"], refused["Operation"]));

        Assert.Equal(200, (await admin.PostAsync("/admin/unban-user", new { userId })).Status);
        var unban = Event(telemetry, 5011, "UserUnbanned", LogLevel.Information);
        Assert.Equal((userId, adminId), (unban["UserId"], unban["ActorId"]));

        var impersonation = await admin.PostAsync("/admin/impersonate-user", new { userId });
        Assert.Equal(200, impersonation.Status);
        var started = Event(telemetry, 5020, "ImpersonationStarted", LogLevel.Warning);
        Assert.Equal((adminId, userId, impersonation.Json!["session"]!["id"]!.GetValue<string>()), (started["ActorId"], started["UserId"], started["SessionId"]));
        Assert.Equal(200, (await admin.PostAsync("/admin/stop-impersonating")).Status);
        var stopped = Event(telemetry, 5021, "ImpersonationStopped", LogLevel.Information);
        Assert.Equal((adminId, userId), (stopped["ActorId"], stopped["UserId"]));
    }

    [Fact]
    public async Task UserActions_PasswordChangeAndReset_TwoFactorOnBackupCodesOff_AreLogged()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new TwoFactorPlugin()), telemetry.AddTo);
        var enrolled = await TwoFactorTestKit.EnrolAsync(host, "ada@example.com");
        var client = enrolled.Client;
        var userId = (await TwoFactorTestKit.SessionAsync(client))!["user"]!["id"]!.GetValue<string>();
        var enabled = Event(telemetry, 5040, "TwoFactorEnabled", LogLevel.Information);
        Assert.Equal((userId, "127.0.0.1"), (enabled["UserId"], enabled["ClientIp"]));

        Assert.Equal(200, (await client.PostAsync("/two-factor/generate-backup-codes", new { password = Password })).Status);
        Assert.Equal(userId, Event(telemetry, 5042, "BackupCodesRegenerated", LogLevel.Information)["UserId"]);

        Assert.Equal(200, (await client.PostAsync("/two-factor/disable", new { password = Password })).Status);
        Assert.Equal(userId, Event(telemetry, 5041, "TwoFactorDisabled", LogLevel.Warning)["UserId"]);

        Assert.Equal(200, (await client.PostAsync("/change-password", new { currentPassword = Password, newPassword = "changed-password", revokeOtherSessions = true })).Status);
        var changed = Event(telemetry, 5030, "PasswordChanged", LogLevel.Information);
        Assert.Equal((userId, true), (changed["UserId"], changed["OtherSessionsRevoked"]));

        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email = "ada@example.com" })).Status);
        var token = host.Outbox.Last("reset-password")!.Token;
        Assert.Equal(200, (await host.Client().PostAsync("/reset-password", new { newPassword = "reset-password-1", token })).Status);
        var reset = Event(telemetry, 5031, "PasswordReset", LogLevel.Information);
        Assert.Equal((userId, "resetPassword"), (reset["UserId"], reset["Operation"]));
    }

    [Fact]
    public async Task RateLimitedSignIn_IsALockoutEvent_NotAFailedSignIn()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o => o.RateLimit.Enabled = true, telemetry.AddTo);
        await host.Client().SignUpAsync("ada@example.com", Password);
        // Better Auth's rule for /sign-in/*: 3 requests per 10 seconds per client address.
        for (var i = 0; i < 3; i++)
            Assert.Equal(401, (await host.Client().PostAsync("/sign-in/email", new { email = "ada@example.com", password = "wrong-password" })).Status);
        Assert.Equal(429, (await host.Client().PostAsync("/sign-in/email", new { email = "ada@example.com", password = Password })).Status);

        var locked = Event(telemetry, 5002, "SignInRateLimited", LogLevel.Warning);
        Assert.Equal(("email", "signInEmail", "127.0.0.1"), (locked["SignInMethod"], locked["Operation"], locked["ClientIp"]));
        Assert.Equal(3, telemetry.Logs.Count(l => l.EventId.Id == 5001));
        Assert.Equal(1, telemetry.Value("better_auth.requests.rate_limited", ("better_auth.operation.name", "signInEmail")));
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", ("better_auth.sign_in.method", "email"), ("better_auth.sign_in.outcome", "failure"), ("error.type", "rate_limited")));
    }
}
