using BetterAuth.Core.Crypto;
using BetterAuth.Core.Errors;

namespace BetterAuth.Tests.Core;

public sealed class CryptoTests
{
    // Produced by the reference (better-auth 1.2.12 `hashPassword`), see shared/reference.
    private const string ReferenceHash =
        "23227756901a84810b16b0ee6fbe23a5:97cbe179816eeb131559f1d06b43f5d6a6db45beb076940b2770b03777ca3d24304a7262cf6bc2037f01c0cff40be16e0ea335e6099cd5324b769eca9fb8bdac";
    private const string ReferenceNfkcHash =
        "ead99b207ea0f37132ed080b18d0da7d:3dc55ce8c8e86e104f89afa744f4d72a0f5b338a63a68b15c40e0ffb48d717695ebbc38de4b8239aeae589c59a5314ac38042ce572203d4260473fb71d0dd2b8";

    [Fact]
    public async Task Scrypt_VerifiesHashMadeByReference()
    {
        using var hasher = new ScryptPasswordHasher();
        Assert.True(await hasher.VerifyAsync(ReferenceHash, "correct horse battery staple"));
        Assert.False(await hasher.VerifyAsync(ReferenceHash, "correct horse battery stapl"));
    }

    [Fact]
    public async Task Scrypt_NormalisesNfkc_LikeReference()
    {
        using var hasher = new ScryptPasswordHasher();
        // The reference hashed full-width "Ｐａｓｓｗｏｒｄ１２３"; NFKC makes it "Password123".
        Assert.True(await hasher.VerifyAsync(ReferenceNfkcHash, "Password123"));
        Assert.True(await hasher.VerifyAsync(ReferenceNfkcHash, "Ｐａｓｓｗｏｒｄ１２３"));
    }

    [Fact]
    public async Task Scrypt_HashFormat_IsSaltColonKeyInLowercaseHex_AndSaltIsRandom()
    {
        using var hasher = new ScryptPasswordHasher();
        var a = await hasher.HashAsync("same password");
        var b = await hasher.HashAsync("same password");
        Assert.Matches("^[0-9a-f]{32}:[0-9a-f]{128}$", a);
        Assert.NotEqual(a, b);
        Assert.True(await hasher.VerifyAsync(a, "same password"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-colon")]
    [InlineData("abcd:zz")]
    public async Task Scrypt_MalformedHash_IsFalseNotException(string hash)
    {
        using var hasher = new ScryptPasswordHasher();
        Assert.False(await hasher.VerifyAsync(hash, "x"));
    }

    [Fact]
    public void Scrypt_NativeAndManagedAgree_OnRfc7914Vector()
    {
        // RFC 7914 §12, second vector: scrypt("password", "NaCl", N=1024, r=8, p=16, 64).
        var expected = Convert.FromHexString(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162" +
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
        var key = new byte[64];
        Scrypt.Derive("password"u8, "NaCl"u8, 1024, 8, 16, key);
        Assert.Equal(expected, key);
        var managed = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate("password"u8.ToArray(), "NaCl"u8.ToArray(), 1024, 8, 16, 64);
        Assert.Equal(expected, managed);
    }

    [Fact]
    public void RandomIds_Are32AlphanumericAndDistinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => RandomStrings.Id()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9]{32}$", id));
    }

    [Theory]
    [InlineData("User already exists", "USER_ALREADY_EXISTS")]
    [InlineData("Session expired. Re-authenticate to perform this action.", "SESSION_EXPIRED_REAUTHENTICATE_TO_PERFORM_THIS_ACTION")]
    [InlineData("You can't unlink your last account", "YOU_CANT_UNLINK_YOUR_LAST_ACCOUNT")]
    [InlineData("invalid token", "INVALID_TOKEN")]
    public void ErrorCode_IsDerivedFromMessage_AsBetterCallDoes(string message, string code)
    {
        Assert.Equal(code, AuthError.CodeFromMessage(message));
        Assert.Equal(code, new AuthError(400, message).Code);
    }
}
