using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BetterAuth.Core.Crypto;

/// <summary>
/// HMAC-SHA256 keyed with the UTF-8 bytes of the auth secret: the signature of Better Auth's signed cookies
/// (standard base64 with padding, 44 chars) and of the cookie cache (base64url without padding).
/// </summary>
internal sealed class SecretSigner
{
    private readonly byte[] _key;

    public SecretSigner(string secret) => _key = Encoding.UTF8.GetBytes(secret);

    public byte[] Key => _key;

    public string SignBase64(string value)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac(value, mac);
        return Convert.ToBase64String(mac);
    }

    public string SignBase64Url(string value)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac(value, mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>Constant-time check of a standard-base64 signature over <paramref name="value"/>.</summary>
    public bool VerifyBase64(ReadOnlySpan<char> value, ReadOnlySpan<char> signature)
    {
        Span<byte> given = stackalloc byte[33];
        if (!Convert.TryFromBase64Chars(signature, given, out var written) || written != 32) return false;
        Span<byte> mac = stackalloc byte[32];
        Mac(value, mac);
        return CryptographicOperations.FixedTimeEquals(mac, given[..32]);
    }

    public bool VerifyBase64Url(string value, string signature)
    {
        Span<byte> given = stackalloc byte[33];
        if (Base64Url.DecodeFromChars(signature, given, out _, out var written) != OperationStatus.Done || written != 32) return false;
        Span<byte> mac = stackalloc byte[32];
        Mac(value, mac);
        return CryptographicOperations.FixedTimeEquals(mac, given[..32]);
    }

    private void Mac(ReadOnlySpan<char> value, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(value, buffer);
        HMACSHA256.HashData(_key, buffer[..n], destination);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}
