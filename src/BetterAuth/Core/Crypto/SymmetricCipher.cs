using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace BetterAuth.Core.Crypto;

/// <summary>
/// Better Auth's <c>symmetricEncrypt</c>/<c>symmetricDecrypt</c> (crypto/index.ts), byte for byte, so secrets stored by
/// either server open on the other: XChaCha20-Poly1305 keyed with SHA-256 of the UTF-8 auth secret, a random 24-byte
/// nonce in front (noble's <c>managedNonce</c>), no associated data, stored as lowercase hex of nonce‖ciphertext‖tag.
/// <para>With versioned secrets (later Better Auth's envelope, 1.5+) the hex is prefixed with the version of the secret
/// that made it: <c>$ba$&lt;version&gt;$&lt;hex&gt;</c>. Encrypting always uses the current secret (see <see cref="Encrypt"/>). Decrypting an
/// envelope uses the secret of its version (no trial); bare hex — written by 1.2.12 or before secrets were versioned —
/// is tried with the legacy secret first, then every listed one.</para>
/// </summary>
internal static class SymmetricCipher
{
    private const string EnvelopePrefix = "$ba$";
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;

    /// <summary>
    /// Encrypts with the current secret: an envelope naming its version when secrets are versioned, bare hex when they
    /// are not or when the current secret is still the legacy one (the first step of a rotation lists the new secret
    /// behind the old: what is written then stays readable by servers not yet told about versions; Better Auth reads
    /// bare hex with its legacy secret too).
    /// </summary>
    public static string Encrypt(SecretKeyring secrets, string plaintext)
    {
        var hex = RawEncrypt(secrets.Current, plaintext);
        return WritesEnvelopes(secrets, out var version) ? $"{EnvelopePrefix}{version.ToString(CultureInfo.InvariantCulture)}${hex}" : hex;
    }

    private static bool WritesEnvelopes(SecretKeyring secrets, out int version)
    {
        version = secrets.CurrentVersion ?? 0;
        return secrets.CurrentVersion is not null && secrets.Current != secrets.Legacy;
    }

    /// <summary>
    /// The plaintext, or null when no configured secret opens the value (its version is no longer listed, another
    /// secret made it, it was tampered with, or it is not a ciphertext at all).
    /// </summary>
    public static string? TryDecrypt(SecretKeyring secrets, string stored)
    {
        if (TryParseEnvelope(stored, out var version, out var hex))
            return secrets.Version(version) is { } secret ? RawDecrypt(secret, hex) : null;
        if (secrets.Legacy is { } legacy && RawDecrypt(legacy, stored) is { } opened) return opened;
        foreach (var secret in secrets.All)
            if (secret != secrets.Legacy && RawDecrypt(secret, stored) is { } plaintext) return plaintext;
        return null;
    }

    /// <summary>
    /// True when re-encrypting would not change which secret the value needs: it is an envelope of the current version,
    /// or bare hex while bare hex is what <see cref="Encrypt"/> writes (no versions, or the current secret is the legacy one).
    /// </summary>
    public static bool IsCurrent(SecretKeyring secrets, string stored) =>
        TryParseEnvelope(stored, out var version, out _) ? version == secrets.CurrentVersion : !WritesEnvelopes(secrets, out _);

    private static bool TryParseEnvelope(string stored, out int version, out string hex)
    {
        version = 0;
        hex = "";
        if (!stored.StartsWith(EnvelopePrefix, StringComparison.Ordinal)) return false;
        var end = stored.IndexOf('$', EnvelopePrefix.Length);
        if (end < 0 || !int.TryParse(stored.AsSpan(EnvelopePrefix.Length, end - EnvelopePrefix.Length), NumberStyles.None,
                CultureInfo.InvariantCulture, out version)) return false;
        hex = stored[(end + 1)..];
        return true;
    }

    private static string RawEncrypt(string secret, string plaintext)
    {
        using var key = ImportKey(secret);
        var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
        var sealedBytes = Aead.Encrypt(key, nonce, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(plaintext));
        return Convert.ToHexStringLower(nonce) + Convert.ToHexStringLower(sealedBytes);
    }

    private static string? RawDecrypt(string secret, string hex)
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
