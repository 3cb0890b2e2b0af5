using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Plugins.Jwt;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Server;
using BetterAuth.Tests.OAuth;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.TwoFactor.TwoFactorTestKit;
using JwtKit = BetterAuth.Tests.Plugins.Jwt.JwtTestKit;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Secret rotation on a live database, as later Better Auth's versioned secrets do it (<c>BETTER_AUTH_SECRETS=2:new,1:old</c>):
/// hosts on one database stand for the deployment before the rotation (one secret), during it (the new secret current,
/// the old one listed) and after it (the old one removed). Everything the old secret signed or encrypted keeps working
/// during the rotation; what the new one makes is the new secret's; after re-encryption the old secret can go.
/// </summary>
public sealed class SecretRotationTests
{
    private const string OldSecret = AuthTestHost.Secret;
    private const string NewSecret = "rotated-secret-fedcba9876543210fedcba9876543210";
    private static readonly FakeUser Alice = new("alice-1", "alice@rotation.test", "Alice");

    /// <summary>Before: one secret, no versions (Better Auth 1.2.12's configuration).</summary>
    private static void Before(BetterAuthOptions o) => o.Secret = OldSecret;

    /// <summary>During: the new secret current, the old one still listed (and kept as the legacy secret for bare-hex values).</summary>
    private static void During(BetterAuthOptions o)
    {
        o.Secret = OldSecret;
        o.Secrets = [new VersionedSecret { Version = 2, Value = NewSecret }, new VersionedSecret { Version = 1, Value = OldSecret }];
    }

    /// <summary>After: the old secret gone.</summary>
    private static void After(BetterAuthOptions o)
    {
        o.Secret = null;
        o.Secrets = [new VersionedSecret { Version = 2, Value = NewSecret }];
    }

    /// <summary>A host with two-factor, an OpenID provider and the cookie cache, on <paramref name="shared"/>'s database when given, at its time.</summary>
    private static async Task<AuthTestHost> HostAsync(FakeOAuthProvider idp, Action<BetterAuthOptions> secrets, AuthTestHost? shared = null,
        bool jwt = true)
    {
        var host = await AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new TwoFactorPlugin());
            if (jwt) o.Plugins.Add(new JwtPlugin());
            o.SocialProviders["oidc"] = idp.Options();
            o.Session.CookieCache.Enabled = true;
            if (shared is not null)
            {
                o.Database.Provider = shared.Runtime.Options.Database.Provider;
                o.Database.ConnectionString = shared.Runtime.Options.Database.ConnectionString;
                o.SecondaryStorage.KeyPrefix = shared.Runtime.Options.SecondaryStorage.KeyPrefix;
            }
            secrets(o);
        }, idp.Register);
        if (shared is not null) host.Clock.SetUtcNow(shared.Clock.GetUtcNow());
        idp.Clock = host.Clock;
        return host;
    }

    /// <summary>A browser on <paramref name="host"/> holding the cookies <paramref name="from"/> holds.</summary>
    private static TestClient Carry(AuthTestHost host, TestClient from)
    {
        var client = host.Client();
        foreach (var (name, value) in from.Cookies) client.Cookies[name] = value;
        return client;
    }

    private static async Task<string?> EmailOfSessionAsync(TestClient client) =>
        (await client.GetAsync("/get-session")).Json?["user"]?["email"]?.GetValue<string>();

    [Fact]
    public async Task DuringRotation_EverythingTheOldSecretMade_KeepsWorking()
    {
        var idp = new FakeOAuthProvider();
        await using var before = await HostAsync(idp, Before);

        // Made under the old secret: a session (cookie, bearer token, cookie cache), an email-verification link, a reset
        // link, a two-factor enrolment (encrypted TOTP secret and backup codes), a trusted device, a sign-in waiting for its
        // second factor, and a social sign-in waiting for its callback (state cookie).
        var signedIn = before.Client();
        await signedIn.SignUpAsync("session@rotation.test");
        var bearer = (await signedIn.PostAsync("/sign-in/email", new { email = "session@rotation.test", password = Password })).Header("set-auth-token");
        Assert.NotNull(bearer);
        var cached = before.Client();
        await cached.SignUpAsync("cached@rotation.test");
        Assert.Equal(200, (await cached.GetAsync("/get-session")).Status);
        Assert.True(cached.Cookies.ContainsKey("better-auth.session_data"));

        Assert.Equal(200, (await before.Client().PostAsync("/send-verification-email", new { email = "session@rotation.test" })).Status);
        var verifyToken = before.Outbox.Last("verify-email")!.Token!;
        Assert.Equal(200, (await before.Client().PostAsync("/request-password-reset", new { email = "cached@rotation.test" })).Status);
        var resetToken = before.Outbox.Last("reset-password")!.Token!;

        var enrolled = await EnrolAsync(before, "mfa@rotation.test");
        var trusted = await ChallengedAsync(before, enrolled.Email);
        Assert.Equal(200, (await trusted.PostAsync("/two-factor/verify-totp", new { code = Code(before, enrolled.Secret), trustDevice = true })).Status);
        Assert.True(trusted.Cookies.ContainsKey(TrustCookie));
        before.Clock.Advance(TimeSpan.FromSeconds(30));
        var challenged = await ChallengedAsync(before, enrolled.Email);
        var oauth = before.Client();
        var start = await oauth.PostAsync("/sign-in/social", new { provider = "oidc" });
        var callback = idp.Authorize(start.Json!["url"]!.GetValue<string>(), Alice);

        // The rotation: the new secret becomes current, the old one stays listed.
        await using var during = await HostAsync(idp, During, shared: before);

        Assert.Equal("session@rotation.test", await EmailOfSessionAsync(Carry(during, signedIn)));
        var withBearer = during.Client();
        withBearer.Bearer = bearer;
        Assert.Equal("session@rotation.test", await EmailOfSessionAsync(withBearer));
        // The cookie cache answers alone (its session row is gone): its signature was checked, not skipped.
        await during.WithDbAsync(db => db.Sessions.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == "cached@rotation.test")).ExecuteDeleteAsync());
        Assert.Equal("cached@rotation.test", await EmailOfSessionAsync(Carry(during, cached)));

        var verified = await during.Client().GetAsync($"/verify-email?token={verifyToken}");
        Assert.Equal(200, verified.Status);
        Assert.True(verified.Json!["status"]!.GetValue<bool>());
        Assert.True(await during.WithDbAsync(db => db.Users.Where(u => u.Email == "session@rotation.test").Select(u => u.EmailVerified).SingleAsync()));
        Assert.Equal(200, (await during.Client().PostAsync("/reset-password", new { token = resetToken, newPassword = "new-password-123" })).Status);

        // The trusted device skips the challenge; the waiting sign-in completes with TOTP, another with a backup code.
        var onTrusted = Carry(during, trusted);
        var direct = await onTrusted.PostAsync("/sign-in/email", new { email = enrolled.Email, password = Password });
        Assert.Equal(200, direct.Status);
        Assert.NotNull(direct.Json!["token"]);
        var completed = await Carry(during, challenged).PostAsync("/two-factor/verify-totp", new { code = Code(during, enrolled.Secret) });
        Assert.Equal(200, completed.Status);
        var withBackup = await ChallengedAsync(during, enrolled.Email);
        Assert.Equal(200, (await withBackup.PostAsync("/two-factor/verify-backup-code", new { code = enrolled.BackupCodes[0] })).Status);
        // The codes left were written again, with the current secret.
        var row = await during.WithDbAsync(db => db.Set<TwoFactorRow>().AsNoTracking().SingleAsync());
        Assert.StartsWith("$ba$2$", row.BackupCodes);
        Assert.DoesNotContain("$", row.Secret);

        var social = await Carry(during, oauth).GetAsync(callback);
        Assert.Equal("http://localhost/", social.Header("Location"));
        Assert.NotNull(social.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task DuringRotation_NewSignaturesAndCiphertexts_AreTheNewSecrets()
    {
        var idp = new FakeOAuthProvider();
        await using var before = await HostAsync(idp, Before);
        await using var during = await HostAsync(idp, During, shared: before);

        var client = during.Client();
        await client.SignUpAsync("new@rotation.test");
        var verify = await during.Client().PostAsync("/send-verification-email", new { email = "new@rotation.test" });
        Assert.Equal(200, verify.Status);
        var token = during.Outbox.Last("verify-email")!.Token!;
        await EnrolAsync(during, "new-mfa@rotation.test");

        // A server that knows only the old secret does not accept them...
        Assert.Null(await EmailOfSessionAsync(Carry(before, client)));
        Assert.NotEqual(200, (await before.Client().GetAsync($"/verify-email?token={token}")).Status);
        // ...and the enrolment is an envelope naming version 2, which opens with the new secret alone.
        var row = await during.WithDbAsync(db => db.Set<TwoFactorRow>().AsNoTracking().SingleAsync());
        Assert.StartsWith("$ba$2$", row.Secret);
        Assert.StartsWith("$ba$2$", row.BackupCodes);
        Assert.NotNull(SymmetricCipher.TryDecrypt(SecretKeyring.Single(NewSecret), row.Secret["$ba$2$".Length..]));
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single(OldSecret), row.Secret["$ba$2$".Length..]));
    }

    [Fact]
    public async Task AfterReencryption_TheOldSecretCanBeRemoved_AndTwoFactorStillWorks()
    {
        var idp = new FakeOAuthProvider();
        await using var before = await HostAsync(idp, Before);
        var first = await EnrolAsync(before, "first@rotation.test");
        var second = await EnrolAsync(before, "second@rotation.test");
        var oldSession = first.Client;

        await using var during = await HostAsync(idp, During, shared: before);
        var third = await EnrolAsync(during, "third@rotation.test"); // already under version 2
        // A value nobody can open any more (made with a secret that was lost) is reported and left alone.
        await during.WithDbAsync(db => db.Set<TwoFactorRow>().Where(t => t.UserId == db.Users.Single(u => u.Email == second.Email).Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.BackupCodes, SymmetricCipher.Encrypt(SecretKeyring.Single("a-lost-secret-0123456789abcdef0123456789"), "[]"))));

        var report = await during.Services.ReencryptBetterAuthSecretsAsync(batchSize: 2);
        Assert.Equal(2, report.CurrentVersion);
        var secretColumn = report.Columns.Single(c => c is { Table: "twoFactor", Column: "secret" });
        var codesColumn = report.Columns.Single(c => c is { Table: "twoFactor", Column: "backupCodes" });
        Assert.Equal((2, 1, 0), (secretColumn.Reencrypted, secretColumn.AlreadyCurrent, secretColumn.Unreadable));
        Assert.Equal((1, 1, 1), (codesColumn.Reencrypted, codesColumn.AlreadyCurrent, codesColumn.Unreadable));
        Assert.Equal(1, report.Unreadable);
        // Idempotent: a second run finds nothing to do.
        var again = await during.Services.ReencryptBetterAuthSecretsAsync();
        Assert.Equal(0, again.Columns.Sum(c => c.Reencrypted));
        Assert.Equal(3, again.Columns.Single(c => c.Column == "secret").AlreadyCurrent);

        await using var after = await HostAsync(idp, After, shared: during);
        after.Clock.Advance(TimeSpan.FromSeconds(30));
        foreach (var user in new[] { first, third })
        {
            var challenged = await ChallengedAsync(after, user.Email);
            Assert.Equal(200, (await challenged.PostAsync("/two-factor/verify-totp", new { code = Code(after, user.Secret) })).Status);
            var backup = await ChallengedAsync(after, user.Email);
            Assert.Equal(200, (await backup.PostAsync("/two-factor/verify-backup-code", new { code = user.BackupCodes[1] })).Status);
        }
        // What only the removed secret signed no longer works: that is what removing it means.
        Assert.Null(await EmailOfSessionAsync(Carry(after, oldSession)));
    }

    [Fact]
    public async Task JwtKeysMadeUnderTheOldSecret_KeepSigningDuringRotation_AndAfterReencryptionWithoutIt()
    {
        var idp = new FakeOAuthProvider();
        await using var before = await HostAsync(idp, Before);
        var (oldClient, _) = await JwtKit.SignedUpAsync(before, "jwt@rotation.test");
        var kid = JwtKit.Header(await JwtKit.TokenAsync(oldClient))["kid"]!.GetValue<string>();
        var stored = await before.WithDbAsync(db => db.Set<JwksRow>().AsNoTracking().SingleAsync());
        Assert.Matches("^\"[0-9a-f]+\"$", stored.PrivateKey); // bare hex: made before secrets were versioned

        // During the rotation the key made with the old secret still signs (no new key is made).
        await using var during = await HostAsync(idp, During, shared: before);
        var duringClient = Carry(during, oldClient);
        var token = await JwtKit.TokenAsync(duringClient);
        Assert.Equal(kid, JwtKit.Header(token)["kid"]!.GetValue<string>());
        Assert.True(JwtKit.VerifiesWithEd25519(token, await JwtKit.KeyOfAsync(duringClient, token)));

        var report = await during.Services.ReencryptBetterAuthSecretsAsync();
        var keys = report.Columns.Single(c => c is { Table: "jwks", Column: "privateKey" });
        Assert.Equal((1, 0, 0), (keys.Reencrypted, keys.AlreadyCurrent, keys.Unreadable));
        var rewritten = await during.WithDbAsync(db => db.Set<JwksRow>().AsNoTracking().SingleAsync());
        Assert.Equal(kid, rewritten.Id);
        Assert.StartsWith("$ba$2$", JsonSerializer.Deserialize<string>(rewritten.PrivateKey));

        await using var after = await HostAsync(idp, After, shared: during);
        var afterClient = await SignedInAsync(after, "jwt@rotation.test");
        var afterToken = await JwtKit.TokenAsync(afterClient);
        Assert.Equal(kid, JwtKit.Header(afterToken)["kid"]!.GetValue<string>());
        Assert.True(JwtKit.VerifiesWithEd25519(afterToken, await JwtKit.KeyOfAsync(afterClient, afterToken)));
        Assert.Single(await after.WithDbAsync(db => db.Set<JwksRow>().AsNoTracking().ToListAsync()));
    }

    [Fact]
    public async Task TheServersRotateSecretsCommand_ReencryptsEveryBetterAuthCiphertextTable_EvenWithItsPluginOff()
    {
        var idp = new FakeOAuthProvider();
        await using var before = await HostAsync(idp, Before);
        var enrolled = await EnrolAsync(before, "command@rotation.test");
        var (jwtClient, _) = await JwtKit.SignedUpAsync(before, "command-jwt@rotation.test");
        await JwtKit.TokenAsync(jwtClient);

        // The command's host has the JWT plugin off; the jwks table it made earlier is still there.
        await using var during = await HostAsync(idp, During, shared: before, jwt: false);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await AdminCommands.RunAsync(during.Services, ["rotate-secrets", "--batch-size", "1"], output, error));
        Assert.Equal("", error.ToString());
        Assert.Contains("twoFactor.secret: 1 re-encrypted to version 2", output.ToString());
        Assert.Contains("twoFactor.backupCodes: 1 re-encrypted to version 2", output.ToString());
        Assert.Contains("jwks.privateKey: 1 re-encrypted to version 2", output.ToString());
        var again = new StringWriter();
        Assert.Equal(0, await AdminCommands.RunAsync(during.Services, ["rotate-secrets"], again, TextWriter.Null));
        Assert.Contains("jwks.privateKey: 0 re-encrypted to version 2, 1 already current", again.ToString());

        // Without versioned secrets the command refuses and changes nothing.
        var refused = new StringWriter();
        Assert.Equal(1, await AdminCommands.RunAsync(before.Services, ["rotate-secrets"], TextWriter.Null, refused));
        Assert.Contains("BETTER_AUTH_SECRETS is not set", refused.ToString());

        await using var after = await HostAsync(idp, After, shared: during);
        after.Clock.Advance(TimeSpan.FromSeconds(30));
        var challenged = await ChallengedAsync(after, enrolled.Email);
        Assert.Equal(200, (await challenged.PostAsync("/two-factor/verify-totp", new { code = Code(after, enrolled.Secret) })).Status);
        Assert.Equal(200, (await (await SignedInAsync(after, "command-jwt@rotation.test")).GetAsync("/token")).Status);
    }

    private static async Task<TestClient> SignedInAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        Assert.Equal(200, (await client.PostAsync("/sign-in/email", new { email, password = Password })).Status);
        return client;
    }
}
