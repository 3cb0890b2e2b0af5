using System.Security.Cryptography;

namespace BetterAuth.Core.Crypto;

/// <summary>CSPRNG strings drawn uniformly from Better Auth's alphabets (utils random.ts).</summary>
internal static class RandomStrings
{
    /// <summary>[a-zA-Z0-9]: ids and session tokens (generateId).</summary>
    public const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /// <summary>[a-z0-9A-Z-_]: state, PKCE verifiers, two-factor identifiers (generateRandomString default).</summary>
    public const string UrlSafe = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    public const string Digits = "0123456789";
    public const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A 32-character id or token with ~190 bits of entropy.</summary>
    public static string Id(int length = 32) => RandomNumberGenerator.GetString(Alphanumeric, length);

    public static string From(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
