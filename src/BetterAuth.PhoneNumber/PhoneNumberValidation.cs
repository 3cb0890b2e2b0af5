using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using PhoneNumbers;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>
/// What the plugin checks on a number a client sends: that it can only name the plugin's own verification rows
/// (always), and the configured format check (libphonenumber's E.164 or a custom validator; off by default, as in
/// Better Auth).
/// </summary>
internal static class PhoneNumberValidation
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// True for a number written in E.164 (<c>+</c>, country code, national number, nothing else) that libphonenumber
    /// knows as valid for its region. <c>+1 415 555 2671</c> or <c>004141…</c> are refused: one spelling per number keeps
    /// the stored value (the unique key and the OTP identifier) canonical.
    /// </summary>
    public static bool IsValidE164(string? phoneNumber)
    {
        if (string.IsNullOrEmpty(phoneNumber) || phoneNumber.Length > 16 || phoneNumber[0] != '+') return false;
        for (var i = 1; i < phoneNumber.Length; i++)
            if (!char.IsAsciiDigit(phoneNumber[i])) return false;
        try
        {
            var parsed = Util.Parse(phoneNumber, null);
            return Util.IsValidNumber(parsed) && Util.Format(parsed, PhoneNumberFormat.E164) == phoneNumber;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>The configured check: the custom validator, else E.164 when enabled, else anything.</summary>
    internal static bool IsAcceptable(PhoneNumberOptions options, string phoneNumber) =>
        options.PhoneNumberValidator?.Invoke(phoneNumber) ?? (!options.ValidateE164 || IsValidE164(phoneNumber));

    /// <summary>
    /// Refuses (400 "Invalid phone number") a number whose code rows would be another flow's: the number is used whole
    /// as the identifier of its code row and, with <see cref="PhoneCodes.ResetSuffix"/>, of its reset row, exactly as
    /// Better Auth writes them. A number carrying another flow's mark (<c>reset-password:…</c>, <c>sign-in-otp-…</c>,
    /// <c>2fa-…</c>, a reset row's suffix) or shaped like a server-generated token (an OAuth state) would let this
    /// plugin read, consume, count attempts against or replace that flow's row. Applied whatever the format options.
    /// </summary>
    internal static void RequireOwnIdentifiers(AuthContext ctx, string phoneNumber)
    {
        var identifiers = ctx.Auth.Registry.VerificationIdentifiers;
        if (!identifiers.IsFreeForm(phoneNumber) || !identifiers.CarriesOnly(PhoneCodes.ResetIdentifier(phoneNumber), PhoneCodes.ResetSuffix))
            throw AuthError.BadRequest(PhoneNumberErrors.InvalidPhoneNumber);
    }
}
