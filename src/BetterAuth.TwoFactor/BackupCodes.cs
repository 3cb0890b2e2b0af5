using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Otp;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Recovery codes (backup-codes/index.ts): <c>amount</c> codes of <c>length</c> CSPRNG characters [a-zA-Z0-9], shown as
/// <c>xxxxx-xxxxx</c>, stored as the encrypted JSON array of the codes still unused.
/// </summary>
internal static class BackupCodes
{
    public static string[] Generate(TwoFactorBackupCodeOptions options) =>
        Enumerable.Range(0, options.Amount)
            .Select(_ => RandomStrings.From(RandomStrings.Alphanumeric, options.Length))
            .Select(code => code.Length > 5 ? $"{code[..5]}-{code[5..]}" : $"{code}-")
            .ToArray();

    public static string Encrypt(SecretKeyring secrets, IReadOnlyList<string> codes) =>
        SymmetricCipher.Encrypt(secrets, JsonSerializer.Serialize(codes.ToArray(), TwoFactorJsonContext.Default.StringArray));

    /// <summary>The stored codes, or null when the value does not decrypt to a JSON array of strings.</summary>
    public static string[]? Decrypt(SecretKeyring secrets, string stored)
    {
        var json = SymmetricCipher.TryDecrypt(secrets, stored);
        if (json is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            var codes = new List<string>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return null;
                codes.Add(item.GetString()!);
            }
            return codes.ToArray();
        }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// Whether <paramref name="code"/> is among <paramref name="codes"/>, and the codes that remain once it is used.
    /// Every stored code is compared, in constant time, so timing does not tell how much of a guess was right.
    /// </summary>
    public static bool TryUse(string[] codes, string code, out string[] remaining)
    {
        var found = false;
        var rest = new List<string>(codes.Length);
        foreach (var stored in codes)
        {
            if (OneTimeCodes.FixedTimeEquals(stored, code)) found = true;
            else rest.Add(stored);
        }
        remaining = rest.ToArray();
        return found;
    }
}
