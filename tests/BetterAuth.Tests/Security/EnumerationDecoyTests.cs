using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Reset and one-time-code requests for an unknown email do the database write a known email's request does (an
/// already-expired row), so the two take the same time (ASVS 6.3.8; measured in e2e/tests/security-enumeration.test.mjs),
/// and send nothing.
/// </summary>
public sealed class EnumerationDecoyTests
{
    private static Task<List<BetterAuth.Core.Storage.Verification>> RowsAsync(AuthTestHost host) =>
        host.WithDbAsync(db => db.Verifications.AsNoTracking().ToListAsync());

    [Theory]
    [InlineData("/request-password-reset")]
    [InlineData("/forget-password")]
    public async Task PasswordResetRequest_UnknownEmail_StoresAnExpiredRowAndSendsNothing(string path)
    {
        await using var host = await AuthTestHost.StartAsync();
        var unknown = await host.Client().PostAsync(path, new { email = "nobody@example.com", redirectTo = "/reset" });
        Assert.Equal(200, unknown.Status);
        Assert.True(unknown.Json!["status"]!.GetValue<bool>());

        var row = Assert.Single(await RowsAsync(host));
        Assert.StartsWith("reset-password:", row.Identifier);
        Assert.True(row.ExpiresAt < host.Clock.GetUtcNow().UtcDateTime, "the decoy cannot be used");
        Assert.Empty(host.Outbox.Messages);

        // Its token leads nowhere: the callback answers as for any invalid token.
        var token = row.Identifier["reset-password:".Length..];
        var callback = await host.Client().GetAsync($"/reset-password/{token}?callbackURL=/reset");
        Assert.Equal(302, callback.Status);
        Assert.EndsWith("error=INVALID_TOKEN", callback.Header("Location"));
    }

    [Fact]
    public async Task EmailOtpForgetPassword_UnknownEmail_StoresAnExpiredCodeAndSendsNothing()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new EmailOtpPlugin(new())));
        var r = await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "nobody@example.com", type = "forget-password" });
        Assert.Equal(200, r.Status);
        Assert.Equal("""{"success":true}""", r.Text);

        var row = Assert.Single(await RowsAsync(host));
        Assert.Equal("forget-password-otp-nobody@example.com", row.Identifier);
        Assert.True(row.ExpiresAt < host.Clock.GetUtcNow().UtcDateTime, "the decoy code cannot be used");
        Assert.Empty(host.Outbox.Messages);
    }
}
