using BetterAuth.Core;
using BetterAuth.Core.Crypto;
using BetterAuth.Server;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Later Better Auth's <c>BETTER_AUTH_SECRETS</c> (packages/better-auth/src/context/secret-utils.ts, 1.5+):
/// <c>&lt;version&gt;:&lt;secret&gt;</c> entries, comma-separated, current first, trimmed; the same refusals; and its
/// envelope <c>$ba$&lt;version&gt;$&lt;hex&gt;</c> opened by direct version lookup, bare hex by the legacy secret.
/// </summary>
public sealed class VersionedSecretsTests
{
    private const string Old = "old-secret-0123456789abcdef0123456789abcdef";
    private const string New = "new-secret-fedcba9876543210fedcba9876543210";

    [Fact]
    public void ParseList_ReadsBetterAuthsFormat_CurrentFirst_Trimmed_AndColonsInTheSecretKept()
    {
        var list = VersionedSecret.ParseList(" 2 : new:with:colons , 1:old ");
        Assert.Equal([(2, "new:with:colons"), (1, "old")], list.Select(s => (s.Version, s.Value)));
        Assert.Equal([(0, "only")], VersionedSecret.ParseList("0:only").Select(s => (s.Version, s.Value)));
    }

    [Theory]
    [InlineData("no-colon-s3cr3t", "expected format")]
    [InlineData("x:s3cr3t", "Version must be a non-negative integer")]
    [InlineData("-1:s3cr3t", "Version must be a non-negative integer")]
    [InlineData(":s3cr3t", "Version must be a non-negative integer")]
    [InlineData("2:   ", "Empty secret value for version 2")]
    [InlineData("2:s3cr3t-a,2:s3cr3t-b", "Duplicate version 2")]
    [InlineData("2:s3cr3t-a,,1:s3cr3t-b", "expected format")]
    public void ParseList_RefusesWhatBetterAuthRefuses_WithoutEchoingTheSecret(string value, string message)
    {
        var e = Assert.Throws<FormatException>(() => VersionedSecret.ParseList(value));
        Assert.Contains(message, e.Message);
        Assert.Contains("BETTER_AUTH_SECRETS", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void TheServer_ReadsBetterAuthSecrets_AndKeepsBetterAuthSecretAsTheLegacySecret()
    {
        var settings = Read(new() { ["BETTER_AUTH_SECRETS"] = $"2:{New}, 1:{Old}", ["BETTER_AUTH_SECRET"] = Old });
        var keyring = SecretKeyring.From(settings.Auth, AuthRuntime.DevelopmentSecret);
        Assert.Equal((New, 2, Old), (keyring.Current, keyring.CurrentVersion, keyring.Legacy));
        Assert.Equal(Old, keyring.Version(1));

        var bad = Assert.Throws<InvalidOperationException>(() => Read(new() { ["BETTER_AUTH_SECRETS"] = $"two:{New}" }));
        Assert.Contains("BETTER_AUTH_SECRETS", bad.Message);
        Assert.DoesNotContain(New, bad.Message);
        // In production, versioned secrets alone are enough.
        Assert.Equal(2, SecretKeyring.From(Read(new() { ["BETTER_AUTH_SECRETS"] = $"2:{New}" }, "Production").Auth, "").CurrentVersion);
    }

    [Fact]
    public async Task Validation_NamesTheBadEntry()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => AuthTestHost.StartAsync(o =>
            o.Secrets = [new VersionedSecret { Version = 3, Value = New }, new VersionedSecret { Version = 3, Value = Old }]));
        Assert.Contains("Secrets:1:Version", e.ToString());
        Assert.DoesNotContain(Old, e.ToString());
    }

    [Fact]
    public void Envelopes_OpenByTheirVersionOnly_BareHexByTheLegacySecret()
    {
        var during = Keyring(legacy: Old, (2, New), (1, Old));
        var envelope = SymmetricCipher.Encrypt(during, "totp-secret");
        Assert.Matches("^\\$ba\\$2\\$[0-9a-f]+$", envelope);
        Assert.Equal("totp-secret", SymmetricCipher.TryDecrypt(Keyring(legacy: null, (2, New)), envelope));
        // Version 2 named, version 2 gone: no trial with the other secrets.
        Assert.Null(SymmetricCipher.TryDecrypt(Keyring(legacy: New, (1, New)), envelope));

        var bare = SymmetricCipher.Encrypt(SecretKeyring.Single(Old), "made-by-1.2.12");
        Assert.DoesNotContain("$", bare);
        Assert.Equal("made-by-1.2.12", SymmetricCipher.TryDecrypt(during, bare));
        Assert.Equal("made-by-1.2.12", SymmetricCipher.TryDecrypt(SecretKeyring.Single(Old), bare));
        Assert.Null(SymmetricCipher.TryDecrypt(Keyring(legacy: null, (2, New)), bare));
        Assert.True(SymmetricCipher.IsCurrent(during, envelope));
        Assert.False(SymmetricCipher.IsCurrent(during, bare));
    }

    [Fact]
    public void WhileTheOldSecretIsStillCurrent_ValuesAreWrittenAsBefore_SoServersNotYetToldAboutVersionsReadThem()
    {
        // Rotation step 1: the new secret listed behind the old one, which is also BETTER_AUTH_SECRET.
        var first = Keyring(legacy: Old, (1, Old), (2, New));
        var written = SymmetricCipher.Encrypt(first, "enrolled-during-step-1");
        Assert.DoesNotContain("$", written);
        Assert.Equal("enrolled-during-step-1", SymmetricCipher.TryDecrypt(SecretKeyring.Single(Old), written));
        Assert.True(SymmetricCipher.IsCurrent(first, written));
        // What a server already at step 2 writes opens here.
        var second = SymmetricCipher.Encrypt(Keyring(legacy: Old, (2, New), (1, Old)), "enrolled-during-step-2");
        Assert.StartsWith("$ba$2$", second);
        Assert.Equal("enrolled-during-step-2", SymmetricCipher.TryDecrypt(first, second));
        Assert.False(SymmetricCipher.IsCurrent(first, second));
    }

    /// <summary>An envelope made by Better Auth 1.7.25's symmetricEncrypt (key config: version 2 current), and bare hex made with its legacy secret.</summary>
    [Fact]
    public void BetterAuth17Ciphertexts_OpenHere()
    {
        // e2e: node -e 'import("better-auth-latest/crypto").then(async m => console.log(await m.symmetricEncrypt(
        //   { key: { keys: new Map([[2, NEW], [1, OLD]]), currentVersion: 2 }, data: "JBSWY3DPEHPK3PXP" })))'
        const string envelope = BetterAuth17Envelope;
        Assert.Equal("JBSWY3DPEHPK3PXP", SymmetricCipher.TryDecrypt(Keyring(legacy: null, (2, New)), envelope));
        Assert.Null(SymmetricCipher.TryDecrypt(Keyring(legacy: null, (2, Old), (1, New)), envelope));
    }

    private const string BetterAuth17Envelope = "$ba$2$edd2a1211694d2b4984774efd9dde403a673bfe1049cf60b17bd508cee2effb6ad1f00d8fb1751e5672fd130c48db33306027ab5d6dd7c18";

    private static SecretKeyring Keyring(string? legacy, params (int Version, string Value)[] secrets)
    {
        var options = new BetterAuthOptions { Secret = legacy, Secrets = secrets.Select(s => new VersionedSecret { Version = s.Version, Value = s.Value }).ToList() };
        return SecretKeyring.From(options, AuthRuntime.DevelopmentSecret);
    }

    private static ServerSettings Read(Dictionary<string, string?> settings, string environment = "Development") =>
        ServerSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            new HostingEnvironment { EnvironmentName = environment });
}
