using BetterAuth.Core.Crypto;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>Enabling, confirming, viewing and disabling two-factor while signed in.</summary>
public sealed class TwoFactorEnrolmentTests
{
    [Fact]
    public async Task Schema_UsesBetterAuthsTableAndColumnNames()
    {
        using var sqliteOnly = TestStorage.Pin(TestStorage.Sqlite); // reads SQLite's catalog
        await using var host = await StartAsync();
        Task<List<string>> Columns(string table) => host.WithDbAsync(db =>
            db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_table_info({table})").ToListAsync());
        Assert.Equal(new[] { "backupCodes", "id", "secret", "userId" }, (await Columns("twoFactor")).Order());
        Assert.Contains("twoFactorEnabled", await Columns("user"));
        var signUp = await host.Client().SignUpAsync("schema@example.com", Password);
        Assert.False(signUp["user"]!.AsObject().ContainsKey("twoFactorEnabled")); // sign-up answers the 7-field user
    }

    [Fact]
    public async Task Enable_ReturnsUriAndCodes_StoresEncryptedRow_ButStaysOffUntilVerified()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("en@example.com", Password);
        var r = await client.PostAsync("/two-factor/enable", new { password = Password });

        Assert.Equal(200, r.Status);
        var uri = r.Json!["totpURI"]!.GetValue<string>();
        Assert.Matches("^otpauth://totp/Better%20Auth:en%40example.com\\?secret=[A-Z2-7]{52}&issuer=Better\\+Auth&digits=6&period=30$", uri);
        var secret = SecretOf(uri);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", secret);
        Assert.Equal(10, r.Json!["backupCodes"]!.AsArray().Count);

        var row = await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Single()));
        Assert.Equal(secret, SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), row.Secret));
        Assert.DoesNotContain(secret, row.Secret);
        // Still off; and null, not false, for a user who never enabled it (Better Auth skips falsy defaults).
        Assert.Null((await SessionAsync(client))!["user"]!["twoFactorEnabled"]);
    }

    [Fact]
    public async Task Enable_IssuerFromBodyThenOptionsThenAppName()
    {
        await using var host = await StartAsync(o => o.Issuer = "Options Issuer");
        var client = host.Client();
        await client.SignUpAsync("iss@example.com", Password);
        var fromBody = await client.PostAsync("/two-factor/enable", new { password = Password, issuer = "Body Issuer" });
        Assert.Contains("otpauth://totp/Body%20Issuer:", fromBody.Json!["totpURI"]!.GetValue<string>());
        var fromOptions = await client.PostAsync("/two-factor/enable", new { password = Password });
        Assert.Contains("&issuer=Options+Issuer&", fromOptions.Json!["totpURI"]!.GetValue<string>());
        // Enabling again replaces the enrolment.
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Count())));
    }

    [Fact]
    public async Task Enable_WrongPasswordNoBodyOrNoSession_AreRefused()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("ref@example.com", Password);
        var wrong = await client.PostAsync("/two-factor/enable", new { password = "nope-nope" });
        Assert.Equal(400, wrong.Status);
        Assert.Equal("INVALID_PASSWORD", wrong.Code);
        Assert.Equal("VALIDATION_ERROR", (await client.PostAsync("/two-factor/enable", new { })).Code);
        // The body is validated before the session, as in Better Auth.
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/two-factor/enable", new { })).Code);
        Assert.Equal(401, (await host.Client().PostAsync("/two-factor/enable", new { password = Password })).Status);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Count())));
    }

    [Fact]
    public async Task VerifyTotp_WhileSignedIn_TurnsTwoFactorOnAndRotatesTheSession()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var signUp = await client.SignUpAsync("vt@example.com", Password);
        var oldToken = signUp["token"]!.GetValue<string>();
        var enable = await client.PostAsync("/two-factor/enable", new { password = Password });
        var secret = SecretOf(enable.Json!["totpURI"]!.GetValue<string>());

        var wrong = await client.PostAsync("/two-factor/verify-totp", new { code = "000000" });
        Assert.Equal(401, wrong.Status);
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", wrong.Code); // Better Auth's answer to a wrong code while signed in

        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, secret) });
        Assert.Equal(200, r.Status);
        var newToken = r.Json!["token"]!.GetValue<string>();
        Assert.NotEqual(oldToken, newToken);
        Assert.StartsWith($"{SessionCookie}={newToken}.", r.Cookie(SessionCookie));
        Assert.Equal(new[] { "id", "email", "emailVerified", "name", "image", "createdAt", "updatedAt" },
            r.Json!["user"]!.AsObject().Select(p => p.Key));
        var session = await SessionAsync(client);
        Assert.True(session!["user"]!["twoFactorEnabled"]!.GetValue<bool>());
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }

    [Fact]
    public async Task VerifyTotp_BeforeEnable_IsTotpNotEnabled()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("ne@example.com", Password);
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = "123456" });
        Assert.Equal(400, r.Status);
        Assert.Equal("TOTP_NOT_ENABLED", r.Code);
    }

    [Fact]
    public async Task GetTotpUri_NeedsEnabledTwoFactorAndThePassword()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("uri@example.com", Password);
        var enable = await client.PostAsync("/two-factor/enable", new { password = Password, issuer = "Custom" });
        Assert.Equal("TOTP_NOT_ENABLED", (await client.PostAsync("/two-factor/get-totp-uri", new { password = Password })).Code);
        var secret = SecretOf(enable.Json!["totpURI"]!.GetValue<string>());
        await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, secret) });

        var wrong = await client.PostAsync("/two-factor/get-totp-uri", new { password = "wrong-password" });
        Assert.Equal(400, wrong.Status);
        Assert.Equal("INVALID_PASSWORD", wrong.Code);
        var r = await client.PostAsync("/two-factor/get-totp-uri", new { password = Password });
        Assert.Equal(200, r.Status);
        // The issuer given at enable time is not remembered: the options' issuer (else the app name) is used.
        Assert.Equal(new TotpCodes().Uri(secret, "Better Auth", "uri@example.com"), r.Json!["totpURI"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateBackupCodes_ReplacesTheSet()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("pre@example.com", Password);
        var before = await client.PostAsync("/two-factor/generate-backup-codes", new { password = Password });
        Assert.Equal(400, before.Status);
        Assert.Equal("TWO_FACTOR_ISNT_ENABLED", before.Code);

        var user = await EnrolAsync(host, "gen@example.com");
        Assert.Equal("INVALID_PASSWORD", (await user.Client.PostAsync("/two-factor/generate-backup-codes", new { password = "wrong-password" })).Code);
        var r = await user.Client.PostAsync("/two-factor/generate-backup-codes", new { password = Password });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["status"]!.GetValue<bool>());
        var fresh = r.Json!["backupCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(10, fresh.Length);
        var stored = await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Single(t => t.UserId != "").BackupCodes));
        Assert.Equal(fresh, BackupCodes.Decrypt(SecretKeyring.Single(AuthTestHost.Secret), stored));
        Assert.Empty(fresh.Intersect(user.BackupCodes));
    }

    [Fact]
    public async Task Disable_TurnsOffDeletesTheSecretAndRotatesTheSession()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "dis@example.com");
        var wrong = await user.Client.PostAsync("/two-factor/disable", new { password = "wrong-password" });
        Assert.Equal("INVALID_PASSWORD", wrong.Code);
        var oldToken = (await SessionAsync(user.Client))!["session"]!["token"]!.GetValue<string>();

        var r = await user.Client.PostAsync("/two-factor/disable", new { password = Password });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        var session = await SessionAsync(user.Client);
        Assert.NotEqual(oldToken, session!["session"]!["token"]!.GetValue<string>());
        Assert.False(session!["user"]!["twoFactorEnabled"]!.GetValue<bool>());
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Count())));

        // Sign-in is back to a single step.
        var again = await host.Client().PostAsync("/sign-in/email", new { email = user.Email, password = Password });
        Assert.NotNull(again.Json!["token"]);
    }

    [Fact]
    public async Task SkipVerificationOnEnable_TurnsOnAtOnce()
    {
        await using var host = await StartAsync(o => o.SkipVerificationOnEnable = true);
        var client = host.Client();
        await client.SignUpAsync("skip@example.com", Password);
        var r = await client.PostAsync("/two-factor/enable", new { password = Password });
        Assert.Equal(200, r.Status);
        Assert.NotNull(r.Cookie(SessionCookie));
        Assert.True((await SessionAsync(client))!["user"]!["twoFactorEnabled"]!.GetValue<bool>());
        await ChallengedAsync(host, "skip@example.com");
    }

    [Fact]
    public async Task DeleteUser_RemovesTheEnrolment()
    {
        await using var host = await StartAsync(auth: o => o.User.DeleteUser.Enabled = true);
        var user = await EnrolAsync(host, "del@example.com");
        var r = await user.Client.PostAsync("/delete-user", new { password = Password });
        Assert.Equal(200, r.Status);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Count())));
    }
}
