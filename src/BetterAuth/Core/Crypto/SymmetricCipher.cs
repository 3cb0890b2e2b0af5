using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace BetterAuth.Core.Crypto;

/// <summary>
/// Better Auth's <c>symmetricEncrypt</c>/<c>symmetricDecrypt</c> (crypto/index.ts), byte for byte, so secrets stored by
/// either server open on the other: XChaCha20-Poly1305 keyed with SHA-256 of the UTF-8 auth secret, a random 24-byte
/// nonce in front (noble's <c>managedNonce</c>), no associated data, stored as lowercase hex of nonce‖ciphertext‖tag.
/// </summary>
public static class SymmetricCipher
{
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;

    public static string Encrypt(string secret, string plaintext)
    {
        using var key = ImportKey(secret);
        var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
        var sealedBytes = Aead.Encrypt(key, nonce, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(plaintext));
        return Convert.ToHexStringLower(nonce) + Convert.ToHexStringLower(sealedBytes);
    }

    /// <summary>The plaintext, or null when the value is not valid hex, too short, or fails authentication (another secret, tampering).</summary>
    public static string? TryDecrypt(string secret, string hex)
    {
        if (hex.Length % 2 != 0 || hex.Length / 2 < Aead.NonceSize + Aead.TagSize) return null;
        byte[] bytes;
        try { bytes = Convert.FromHexString(hex); }
        catch (FormatException) { return null; }
        using var key = ImportKey(secret);
        var plaintext = new byte[bytes.Length - Aead.NonceSize - Aead.TagSize];
        var nonce = bytes.AsSpan(0, Aead.NonceSize);
        var ciphertext = bytes.AsSpan(Aead.NonceSize);
        if (!Aead.Decrypt(key, nonce, ReadOnlySpan<byte>.Empty, ciphertext, plaintext)) return null;
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plaintext); }
        catch (DecoderFallbackException) { return null; }
    }

    private static Key ImportKey(string secret)
    {
        var keyBytes = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        try { return Key.Import(Aead, keyBytes, KeyBlobFormat.RawSymmetricKey); }
        finally { CryptographicOperations.ZeroMemory(keyBytes); }
    }
}
