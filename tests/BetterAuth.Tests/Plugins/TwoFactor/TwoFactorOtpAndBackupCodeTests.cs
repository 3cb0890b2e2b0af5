using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>The sign-in challenge completed with a mailed one-time code or a backup code.</summary>
public sealed class TwoFactorOtpAndBackupCodeTests
{
    private static async Task<string> SendOtpAsync(AuthTestHost host, TestClient client, string email)
    {
        var r = await client.PostAsync("/two-factor/send-otp");
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        var message = host.Outbox.Last("two-factor-otp")!;
        Assert.Equal(email, message.To);
        Assert.Matches("^[0-9]{6}$", message.Otp);
        return message.Otp!;
    }

    [Fact]
    public async Task Otp_SentAndVerified_CompletesSignIn_AndIsSingleUse()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "otp@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var otp = await SendOtpAsync(host, client, user.Email);

        var r = await client.PostAsync("/two-factor/verify-otp", new { code = otp });
        Assert.Equal(200, r.Status);
        Assert.NotNull(r.Cookie(SessionCookie));
        Assert.Equal(r.Json!["token"]!.GetValue<string>(), (await SessionAsync(client))!["session"]!["token"]!.GetValue<string>());

        var other = await ChallengedAsync(host, user.Email);
        // The code belonged to the first challenge, and is used up anyway.
        Assert.Equal("OTP_HAS_EXPIRED", (await other.PostAsync("/two-factor/verify-otp", new { code = otp })).Code);
    }

    [Fact]
    public async Task Otp_StoredAsBetterAuthDoes()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "store@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var otp = await SendOtpAsync(host, client, user.Email);
        var challenge = Uri.UnescapeDataString(client.Cookies[TwoFactorCookie]).Split('.')[0];
        var row = await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single(v => v.Identifier == "2fa-otp-" + challenge)));
        Assert.Equal($"{otp}!0", row.Value);
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddMinutes(3), row.ExpiresAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Otp_WrongCodes_CountUpToTheCap()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "cap@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var otp = await SendOtpAsync(host, client, user.Email);
        var wrong = otp == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            var r = await client.PostAsync("/two-factor/verify-otp", new { code = wrong });
            Assert.Equal(401, r.Status);
            Assert.Equal("INVALID_CODE", r.Code);
        }
        var capped = await client.PostAsync("/two-factor/verify-otp", new { code = otp });
        Assert.Equal(400, capped.Status);
        Assert.Equal("TOO_MANY_ATTEMPTS_PLEASE_REQUEST_A_NEW_CODE", capped.Code);
        Assert.Equal("OTP_HAS_EXPIRED", (await client.PostAsync("/two-factor/verify-otp", new { code = otp })).Code);

        // A new code starts a new count.
        var fresh = await SendOtpAsync(host, client, user.Email);
        Assert.Equal(200, (await client.PostAsync("/two-factor/verify-otp", new { code = fresh })).Status);
    }

    [Fact]
    public async Task Otp_Expired_AfterThreeMinutes()
    {
        await using var host = await StartAsync(o => o.TwoFactorCookieMaxAge = 600);
        var user = await EnrolAsync(host, "late@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var otp = await SendOtpAsync(host, client, user.Email);
        host.Clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        var r = await client.PostAsync("/two-factor/verify-otp", new { code = otp });
        Assert.Equal(400, r.Status);
        Assert.Equal("OTP_HAS_EXPIRED", r.Code);
    }

    [Fact]
    public async Task Otp_VerifiedWhileSignedIn_EnablesTwoFactor()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("otpen@example.com", Password);
        Assert.Equal("OTP_NOT_ENABLED", (await client.PostAsync("/two-factor/send-otp")).Code);
        await client.PostAsync("/two-factor/enable", new { password = Password });
        var otp = await SendOtpAsync(host, client, "otpen@example.com");
        var r = await client.PostAsync("/two-factor/verify-otp", new { code = otp });
        Assert.Equal(200, r.Status);
        Assert.True((await SessionAsync(client))!["user"]!["twoFactorEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Otp_WithoutAMessageSender_IsNotConfigured()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new TwoFactorPlugin()), withSender: false);
        var client = host.Client();
        await client.SignUpAsync("nosend@example.com", Password);
        var r = await client.PostAsync("/two-factor/send-otp", new { });
        Assert.Equal(400, r.Status);
        Assert.Equal("OTP_ISNT_CONFIGURED", r.Code);
        Assert.Equal("VALIDATION_ERROR", (await client.PostRawAsync("/two-factor/send-otp", "{\"trustDevice\":1}")).Code);
    }

    [Fact]
    public async Task BackupCode_CompletesSignIn_AndCannotBeUsedTwice()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "bk@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var wrong = await client.PostAsync("/two-factor/verify-backup-code", new { code = "aaaaa-bbbbb" });
        Assert.Equal(401, wrong.Status);
        Assert.Equal("INVALID_BACKUP_CODE", wrong.Code);

        var r = await client.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[0] });
        Assert.Equal(200, r.Status);
        Assert.NotNull(r.Cookie(SessionCookie));

        var again = await ChallengedAsync(host, user.Email);
        Assert.Equal("INVALID_BACKUP_CODE", (await again.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[0] })).Code);
        Assert.Equal(200, (await again.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[1] })).Status);
    }

    [Fact]
    public async Task BackupCode_DisableSession_UsesTheCodeButCreatesNoSession()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "ds@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var r = await client.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[2], disableSession = true });
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!.AsObject().ContainsKey("token"));
        Assert.Equal(user.Email, r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
        Assert.Equal("INVALID_BACKUP_CODE", (await client.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[2] })).Code);
    }

    [Fact]
    public async Task BackupCode_ConcurrentUse_OnlyOneWins()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "bkrace@example.com");
        var clients = new List<TestClient>();
        for (var i = 0; i < 4; i++) clients.Add(await ChallengedAsync(host, user.Email));
        var results = await Task.WhenAll(clients.Select(c => c.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[5] })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("INVALID_BACKUP_CODE", r.Code));
    }

    [Fact]
    public async Task BackupCode_WithTrustDevice_SetsTheTrustCookie()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "bktrust@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var r = await client.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[7], trustDevice = true });
        Assert.Equal(200, r.Status);
        Assert.Contains("Max-Age=2592000", r.Cookie(TrustCookie));
    }
}
