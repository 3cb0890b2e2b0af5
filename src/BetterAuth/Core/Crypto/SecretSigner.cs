using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BetterAuth.Core.Crypto;

/// <summary>
/// HMAC-SHA256 keyed with the UTF-8 bytes of the auth secret: the signature of Better Auth's signed cookies
/// (standard base64 with padding, 44 chars) and of the cookie cache (base64url without padding). Signs with the
/// current secret; a signature made by any secret of the <see cref="SecretKeyring"/> verifies.
/// </summary>
internal sealed class SecretSigner
{
    private readonly byte[][] _keys;

    public SecretSigner(SecretKeyring secrets) => _keys = secrets.All.Select(Encoding.UTF8.GetBytes).ToArray();

    public SecretSigner(string secret) : this(SecretKeyring.Single(secret)) { }

    public string SignBase64(string value)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac(_keys[0], value, mac);
        return Convert.ToBase64String(mac);
    }

    public string SignBase64Url(string value)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac(_keys[0], value, mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>Constant-time check of a standard-base64 signature over <paramref name="value"/>.</summary>
    public bool VerifyBase64(ReadOnlySpan<char> value, ReadOnlySpan<char> signature)
    {
        Span<byte> given = stackalloc byte[33];
        if (!Convert.TryFromBase64Chars(signature, given, out var written) || written != 32) return false;
        return Matches(value, given[..32]);
    }

    public bool VerifyBase64Url(string value, string signature)
    {
        Span<byte> given = stackalloc byte[33];
        if (Base64Url.DecodeFromChars(signature, given, out _, out var written) != OperationStatus.Done || written != 32) return false;
        return Matches(value, given[..32]);
    }

    /// <summary>Whether any secret's MAC equals <paramref name="given"/>; every secret is tried, each comparison in constant time.</summary>
    private bool Matches(ReadOnlySpan<char> value, ReadOnlySpan<byte> given)
    {
        Span<byte> mac = stackalloc byte[32];
        var match = false;
        foreach (var key in _keys)
        {
            Mac(key, value, mac);
            match |= CryptographicOperations.FixedTimeEquals(mac, given);
        }
        return match;
    }

    private static void Mac(byte[] key, ReadOnlySpan<char> value, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(value, buffer);
        HMACSHA256.HashData(key, buffer[..n], destination);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}
