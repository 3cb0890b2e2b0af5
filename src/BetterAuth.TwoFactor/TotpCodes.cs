using System.Text;
using BetterAuth.Core.Http;
using OtpNet;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Time-based codes as Better Auth computes them (@better-auth/utils otp.ts): RFC 6238 with HMAC-SHA1 keyed with the
/// UTF-8 bytes of the secret <em>string</em> (not its base32 decoding), and one step of drift either way.
/// The arithmetic is Otp.NET's; this class fixes Better Auth's parameters.
/// </summary>
internal sealed class TotpCodes(int digits = 6, int period = 30)
{
    public int Digits { get; } = digits;
    public int Period { get; } = period;

    /// <summary>The code for the time step containing <paramref name="at"/>.</summary>
    public string Compute(string secret, DateTimeOffset at) => Compute(Encoding.UTF8.GetBytes(secret), at);

    public string Compute(byte[] key, DateTimeOffset at) =>
        new Totp(key, Period, OtpHashMode.Sha1, Digits).ComputeTotp(at.UtcDateTime);

    /// <summary>
    /// Whether <paramref name="code"/> is the code of the current step or of the step before or after it; the
    /// matched step is returned so a caller can refuse a step used before. Otp.NET compares in constant time.
    /// </summary>
    public bool Verify(string secret, string code, DateTimeOffset at, out long matchedStep)
    {
        matchedStep = 0;
        if (code.Length != Digits) return false;
        var totp = new Totp(Encoding.UTF8.GetBytes(secret), Period, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(at.UtcDateTime, code, out matchedStep, new VerificationWindow(previous: 1, future: 1));
    }

    /// <summary>When a code of <paramref name="step"/> stops being accepted (the end of the following step).</summary>
    public DateTimeOffset AcceptedUntil(long step) => DateTimeOffset.FromUnixTimeSeconds((step + 2) * Period);

    /// <summary>
    /// The <c>otpauth://</c> URI for authenticator apps, exactly as Better Auth writes it: label
    /// <c>encodeURIComponent(issuer):encodeURIComponent(account)</c>, then URLSearchParams-encoded secret (base32 of the
    /// secret's UTF-8 bytes, unpadded), issuer, digits and period.
    /// </summary>
    public string Uri(string secret, string issuer, string account) =>
        $"otpauth://totp/{JsEncoding.EncodeUriComponent(issuer)}:{JsEncoding.EncodeUriComponent(account)}" +
        $"?secret={JsEncoding.FormEncode(Base32NoPadding(Encoding.UTF8.GetBytes(secret)))}" +
        $"&issuer={JsEncoding.FormEncode(issuer)}&digits={Digits}&period={Period}";

    private static string Base32NoPadding(byte[] bytes) => Base32Encoding.ToString(bytes).TrimEnd('=');
}
