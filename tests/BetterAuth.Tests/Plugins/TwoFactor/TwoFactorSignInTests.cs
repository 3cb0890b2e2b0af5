using System.Globalization;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>The sign-in challenge of an enrolled user, completed with a TOTP code.</summary>
public sealed class TwoFactorSignInTests
{
    [Fact]
    public async Task SignIn_EnrolledUser_GetsChallengeInsteadOfSession()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "ch@example.com");
        var sessionsBefore = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count()));
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email", new { email = user.Email, password = Password });

        Assert.Equal(200, r.Status);
        Assert.Equal("{\"twoFactorRedirect\":true}", r.Text);
        Assert.Null(r.Header("set-auth-token"));
        Assert.Contains($"{SessionCookie}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax", r.SetCookies);
        var challenge = r.Cookie(TwoFactorCookie)!;
        Assert.Matches("^better-auth\\.two_factor=2fa-[A-Za-z0-9_-]{20}\\.[^;]+; Max-Age=300; Path=/; HttpOnly; SameSite=Lax$", challenge);
        // The session the password step created is gone; a verification row names the user instead.
        Assert.Equal(sessionsBefore, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
        var identifier = challenge.Split('=')[1].Split('.')[0];
        var row = await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single(v => v.Identifier == identifier)));
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddSeconds(300), row.ExpiresAt, TimeSpan.FromSeconds(1));
        Assert.Null(await SessionAsync(client));
    }

    [Fact]
    public async Task SignIn_EnrolledUser_CreatesNoSession_NotEvenForAMoment()
    {
        var created = new CreatedSessions();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new TwoFactorPlugin()),
            services: s => s.AddSingleton<IAuthLifecycle>(created));
        var user = await EnrolAsync(host, "never@example.com");
        created.Tokens.Clear();

        var r = await host.Client().PostAsync("/sign-in/email", new { email = user.Email, password = Password, rememberMe = false });

        Assert.Equal("{\"twoFactorRedirect\":true}", r.Text);
        // No session-created hook ran and no Set-Cookie carries a session token, however briefly.
        Assert.Empty(created.Tokens);
        Assert.DoesNotContain(r.SetCookies, c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal) &&
                                                 !c.StartsWith(SessionCookie + "=;", StringComparison.Ordinal));
        // The choice not to be remembered is kept for the second factor's session.
        Assert.StartsWith("better-auth.dont_remember=true.", r.Cookie("better-auth.dont_remember"));
    }

    private sealed class CreatedSessions : IAuthLifecycle
    {
        public List<string> Tokens { get; } = new();
        public ValueTask OnSessionCreatedAsync(AuthStoreContext ctx, Session session)
        {
            lock (Tokens) Tokens.Add(session.Token);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task VerifyTotp_RightCode_CompletesSignIn()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "ok@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret) });

        Assert.Equal(200, r.Status);
        var token = r.Json!["token"]!.GetValue<string>();
        Assert.StartsWith($"{SessionCookie}={token}.", r.Cookie(SessionCookie));
        Assert.Contains("Max-Age=604800", r.Cookie(SessionCookie));
        Assert.Equal(user.Email, r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Null(r.Cookie(TrustCookie));
        Assert.Equal(token, (await SessionAsync(client))!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyTotp_WrongCode_Is401InvalidCode_AndNoSession()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "bad@example.com");
        var client = await ChallengedAsync(host, user.Email);
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret, stepOffset: 2) });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_CODE", r.Code);
        Assert.Equal("Invalid code", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
        Assert.Equal("VALIDATION_ERROR", (await client.PostAsync("/two-factor/verify-totp", new { code = 123456 })).Code);
        Assert.Equal("VALIDATION_ERROR", (await client.PostRawAsync("/two-factor/verify-totp", "{\"code\":\"1\",\"trustDevice\":\"yes\"}")).Code);
    }

    [Fact]
    public async Task VerifyTotp_CodeFromTheNeighbouringSteps_IsAccepted()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "drift@example.com");
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var late = await ChallengedAsync(host, user.Email);
        Assert.Equal(200, (await late.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret, stepOffset: -1) })).Status);
        var early = await ChallengedAsync(host, user.Email);
        Assert.Equal(200, (await early.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret, stepOffset: 1) })).Status);
    }

    [Fact]
    public async Task VerifyTotp_ReplayedCode_IsRefused()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "replay@example.com");
        var code = Code(host, user.Secret);
        var first = await ChallengedAsync(host, user.Email);
        Assert.Equal(200, (await first.PostAsync("/two-factor/verify-totp", new { code })).Status);

        var second = await ChallengedAsync(host, user.Email);
        var replay = await second.PostAsync("/two-factor/verify-totp", new { code });
        Assert.Equal(401, replay.Status);
        Assert.Equal("INVALID_CODE", replay.Code);
        // An older step than one already used is refused too, while the next step's code works.
        Assert.Equal(401, (await second.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret, -1) })).Status);
        Assert.Equal(200, (await second.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret, 1) })).Status);
    }

    [Fact]
    public async Task VerifyTotp_ConcurrentUseOfOneCode_OnlyOneWins()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "race@example.com");
        var code = Code(host, user.Secret);
        var clients = new List<TestClient>();
        for (var i = 0; i < 4; i++) clients.Add(await ChallengedAsync(host, user.Email));
        var results = await Task.WhenAll(clients.Select(c => c.PostAsync("/two-factor/verify-totp", new { code })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("INVALID_CODE", r.Code));
    }

    [Fact]
    public async Task Challenge_Expired_IsInvalidTwoFactorCookie()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "exp@example.com");
        var client = await ChallengedAsync(host, user.Email);
        host.Clock.Advance(TimeSpan.FromSeconds(301));
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret) });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", r.Code);
    }

    [Fact]
    public async Task Challenge_MissingOrForgedCookie_IsInvalidTwoFactorCookie()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "forge@example.com");
        var none = await host.Client().PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret) });
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", none.Code);

        var forged = host.Client();
        forged.Cookies[TwoFactorCookie] = "2fa-aaaaaaaaaaaaaaaaaaaa.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D";
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", (await forged.PostAsync("/two-factor/verify-totp", new { code = "123456" })).Code);
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", (await forged.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[0] })).Code);
        Assert.Equal("INVALID_TWO_FACTOR_COOKIE", (await forged.PostAsync("/two-factor/send-otp")).Code);
    }

    [Fact]
    public async Task RememberMeFalse_IsCarriedThroughTheChallenge()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "rm@example.com");
        var client = await ChallengedAsync(host, user.Email, rememberMe: false);
        Assert.True(client.Cookies.ContainsKey("better-auth.dont_remember"));
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret) });
        Assert.Equal(200, r.Status);
        Assert.DoesNotContain("Max-Age", r.Cookie(SessionCookie));
        var expires = DateTime.Parse((await SessionAsync(client))!["session"]!["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddDays(1), expires, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TrustDevice_SkipsTheNextChallenge_Once()
    {
        await using var host = await StartAsync();
        var user = await EnrolAsync(host, "trust@example.com");
        var client = await ChallengedAsync(host, user.Email, rememberMe: false);
        var r = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, user.Secret), trustDevice = true });
        Assert.Equal(200, r.Status);
        var token = r.Json!["token"]!.GetValue<string>();
        var trust = r.Cookie(TrustCookie)!;
        Assert.Contains("Max-Age=2592000", trust);
        Assert.Matches($"^{TrustCookie}=[A-Za-z0-9_-]{{43}}!{token}\\.", trust);
        Assert.Contains("better-auth.dont_remember=; Max-Age=0", r.SetCookies);
        Assert.Contains($"{TwoFactorCookie}=; Max-Age=0", r.SetCookies);

        // Signing out keeps the trust cookie; the next password sign-in skips the challenge.
        await client.PostAsync("/sign-out", new { });
        var again = await client.PostAsync("/sign-in/email", new { email = user.Email, password = Password });
        Assert.NotNull(again.Json!["token"]);
        Assert.DoesNotContain("Max-Age", again.Cookie(TrustCookie)!);

        // As in Better Auth 1.2.12, the re-issued cookie signs the previous token, so the trust is spent.
        await client.PostAsync("/sign-out", new { });
        var third = await client.PostAsync("/sign-in/email", new { email = user.Email, password = Password });
        Assert.Equal("{\"twoFactorRedirect\":true}", third.Text);
    }

    [Fact]
    public async Task TrustCookie_OfAnotherUser_DoesNotSkip()
    {
        await using var host = await StartAsync();
        var a = await EnrolAsync(host, "ta@example.com");
        var b = await EnrolAsync(host, "tb@example.com");
        var client = await ChallengedAsync(host, a.Email);
        await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, a.Secret), trustDevice = true });
        await client.PostAsync("/sign-out", new { });
        var r = await client.PostAsync("/sign-in/email", new { email = b.Email, password = Password });
        Assert.Equal("{\"twoFactorRedirect\":true}", r.Text);
    }

    [Fact]
    public async Task UserEnrolledByTheReference_SignsInWithTotpAndBackupCode()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var signUp = await client.SignUpAsync("ref2fa@example.com", Password);
        var userId = signUp["user"]!["id"]!.GetValue<string>();
        // The rows the reference wrote for this enrolment (same auth secret), copied in as they are.
        await host.WithDbAsync(async db =>
        {
            var user = db.Users.Single(u => u.Id == userId);
            user["twoFactorEnabled"] = true;
            db.Set<TwoFactorRow>().Add(new TwoFactorRow
            {
                Id = "refrow",
                UserId = userId,
                Secret = TwoFactorCryptoTests.ReferenceEncryptedSecret,
                BackupCodes = TwoFactorCryptoTests.ReferenceEncryptedBackupCodes,
            });
            return await db.SaveChangesAsync();
        });

        var totpClient = await ChallengedAsync(host, "ref2fa@example.com");
        var code = new TotpCodes().Compute(TwoFactorCryptoTests.ReferenceSecret, host.Clock.GetUtcNow());
        Assert.Equal(200, (await totpClient.PostAsync("/two-factor/verify-totp", new { code })).Status);

        var backupClient = await ChallengedAsync(host, "ref2fa@example.com");
        var r = await backupClient.PostAsync("/two-factor/verify-backup-code", new { code = TwoFactorCryptoTests.ReferenceBackupCodes[4] });
        Assert.Equal(200, r.Status);
        var left = await host.WithDbAsync(db => Task.FromResult(db.Set<TwoFactorRow>().Single().BackupCodes));
        Assert.Equal(TwoFactorCryptoTests.ReferenceBackupCodes.Where((_, i) => i != 4), BackupCodes.Decrypt(SecretKeyring.Single(AuthTestHost.Secret), left));
    }

    [Fact]
    public async Task RateRule_AllowsThreeTwoFactorCallsPerTenSeconds()
    {
        await using var host = await StartAsync(auth: o => o.RateLimit.Enabled = true);
        var client = host.Client();
        for (var i = 0; i < 3; i++) Assert.Equal(401, (await client.PostAsync("/two-factor/verify-totp", new { code = "123456" })).Status);
        var limited = await client.PostAsync("/two-factor/verify-totp", new { code = "123456" });
        Assert.Equal(429, limited.Status);
        host.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(401, (await client.PostAsync("/two-factor/verify-totp", new { code = "123456" })).Status);
    }
}
