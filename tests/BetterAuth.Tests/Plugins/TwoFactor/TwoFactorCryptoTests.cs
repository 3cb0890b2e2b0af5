using System.Text;
using BetterAuth.Core.Crypto;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>The TOTP function, the otpauth URI and the secret encryption, against RFC 6238 and values the reference produced.</summary>
public sealed class TwoFactorCryptoTests
{
    // Captured from the reference (Better Auth 1.2.12) run with BETTER_AUTH_SECRET = AuthTestHost.Secret:
    // /two-factor/enable for ref2fa@example.com, then twoFactor.secret / backupCodes read from its SQLite file.
    internal const string ReferenceSecret = "3UelB-TiRhdROaxjrgOzRiee5CBSEdKx";
    internal const string ReferenceEncryptedSecret =
        "bf8b4f12e9740e66b3340baad78fe1c85195cd793703e7a1f6361a6175ce8e177f4bffe946203ba1ae521170080d719b41424c975f8788491c3c668ab6e2224fff1ac0c9e9b8bd61";
    internal const string ReferenceEncryptedBackupCodes =
        "f991282e109d0a8693d64814477f8f943bc66803b1df6ddedd1a8457f4da889b5b72783c28a0e56f5d5a1c2d488754209348cc0a2ce9919ecb959e5cbd7684cd0c8c311a4cac2857a0039444f6c4449f846941897c67ae7268c3d28ccab839c128b3e83156f95ad09550bbc04ed65b6daa29e0b9fb9aed37cbb4a85982e9e3c1a2b9cc25e624bc3acb9727e4c69bd2bbe6de34295d4ed71a6c42692ac3ec046cb4dd411381caa803142b12a583861a99ac9f18aa85";
    internal static readonly string[] ReferenceBackupCodes =
        ["nj1LO-9wxMI", "rAwpy-ClvNd", "zaDe9-XWncG", "6PTes-OGGJ0", "4dLmP-Ux0uu", "pIrGM-wCbyv", "tWBX6-gAn2M", "mnku6-2NdNh", "1PPM1-750Z2", "T6Ekl-J1tT8"];
    private const string ReferenceUri =
        "otpauth://totp/Better%20Auth%20Reference:ref2fa%40example.com?secret=GNKWK3CCFVKGSUTIMRJE6YLYNJZGOT32KJUWKZJVINBFGRLEJN4A&issuer=Better+Auth+Reference&digits=6&period=30";

    // RFC 6238 appendix B, HMAC-SHA1 with the ASCII key "12345678901234567890", 8 digits.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Totp_Rfc6238Sha1Vectors(long unixSeconds, string expected)
    {
        var totp = new TotpCodes(digits: 8);
        Assert.Equal(expected, totp.Compute("12345678901234567890", DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }

    [Fact]
    public void Totp_SixDigitsAreTheLastSixOfTheRfcValue()
    {
        Assert.Equal("287082", new TotpCodes().Compute("12345678901234567890", DateTimeOffset.FromUnixTimeSeconds(59)));
    }

    [Fact]
    public void Totp_AcceptsOneStepOfDriftEitherWay_AndReportsTheStep()
    {
        var totp = new TotpCodes();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = now.ToUnixTimeSeconds() / 30;
        for (var offset = -1; offset <= 1; offset++)
        {
            Assert.True(totp.Verify(ReferenceSecret, totp.Compute(ReferenceSecret, now.AddSeconds(30 * offset)), now, out var matched));
            Assert.Equal(step + offset, matched);
        }
        Assert.False(totp.Verify(ReferenceSecret, totp.Compute(ReferenceSecret, now.AddSeconds(-60)), now, out _));
        Assert.False(totp.Verify(ReferenceSecret, totp.Compute(ReferenceSecret, now.AddSeconds(60)), now, out _));
        Assert.False(totp.Verify(ReferenceSecret, "12345", now, out _));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((step + 2) * 30), totp.AcceptedUntil(step));
    }

    [Fact]
    public void TotpUri_IsByteForByteTheReferences()
    {
        Assert.Equal(ReferenceUri, new TotpCodes().Uri(ReferenceSecret, "Better Auth Reference", "ref2fa@example.com"));
    }

    [Fact]
    public void TotpUri_EncodesIssuerLikeEncodeUriComponentAndUrlSearchParams()
    {
        // Seen on the reference for issuer "My App (test)!*'".
        var uri = new TotpCodes().Uri(ReferenceSecret, "My App (test)!*'", "p+1@example.com");
        Assert.StartsWith("otpauth://totp/My%20App%20(test)!*':p%2B1%40example.com?secret=", uri);
        Assert.EndsWith("&issuer=My+App+%28test%29%21*%27&digits=6&period=30", uri);
    }

    [Fact]
    public void Decrypt_SecretEncryptedByTheReference()
    {
        Assert.Equal(ReferenceSecret, SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), ReferenceEncryptedSecret));
        Assert.Equal(ReferenceBackupCodes, BackupCodes.Decrypt(SecretKeyring.Single(AuthTestHost.Secret), ReferenceEncryptedBackupCodes));
    }

    [Fact]
    public void Decrypt_WrongSecretTamperingOrGarbage_IsNull()
    {
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single("another-secret-0123456789abcdef0123456789"), ReferenceEncryptedSecret));
        var tampered = ReferenceEncryptedSecret[..^2] + (ReferenceEncryptedSecret[^2..] == "00" ? "01" : "00");
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), tampered));
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), "zz"));
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), "abc"));
        Assert.Null(SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), ""));
        Assert.Null(BackupCodes.Decrypt(SecretKeyring.Single(AuthTestHost.Secret), SymmetricCipher.Encrypt(SecretKeyring.Single(AuthTestHost.Secret), "{\"not\":\"an array\"}")));
        Assert.Null(BackupCodes.Decrypt(SecretKeyring.Single(AuthTestHost.Secret), SymmetricCipher.Encrypt(SecretKeyring.Single(AuthTestHost.Secret), "[1,2]")));
    }

    [Fact]
    public void Encrypt_IsLowercaseHexOfNonceCiphertextTag_WithAFreshNonceEachTime()
    {
        var a = SymmetricCipher.Encrypt(SecretKeyring.Single(AuthTestHost.Secret), ReferenceSecret);
        var b = SymmetricCipher.Encrypt(SecretKeyring.Single(AuthTestHost.Secret), ReferenceSecret);
        Assert.Matches("^[0-9a-f]+$", a);
        Assert.Equal(2 * (24 + Encoding.UTF8.GetByteCount(ReferenceSecret) + 16), a.Length);
        Assert.NotEqual(a[..48], b[..48]);
        Assert.Equal(ReferenceSecret, SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), a));
    }

    [Fact]
    public void BackupCodes_TenDashedAlphanumericCodes_UsedOnce()
    {
        var codes = BackupCodes.Generate(new TwoFactorBackupCodeOptions());
        Assert.Equal(10, codes.Length);
        Assert.All(codes, c => Assert.Matches("^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$", c));
        Assert.True(BackupCodes.TryUse(codes, codes[3], out var rest));
        Assert.Equal(9, rest.Length);
        Assert.DoesNotContain(codes[3], rest);
        Assert.False(BackupCodes.TryUse(rest, codes[3], out _));
    }

    [Fact]
    public void Options_OutOfRange_AreRefusedAtStartup()
    {
        Assert.Throws<InvalidOperationException>(() => new TwoFactorPlugin(new TwoFactorOptions { TotpOptions = { Digits = 7 } }));
        Assert.Throws<InvalidOperationException>(() => new TwoFactorPlugin(new TwoFactorOptions { OtpOptions = { AllowedAttempts = 0 } }));
    }
}
