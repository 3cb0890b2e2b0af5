using PhoneNumbers;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>E.164 checks with libphonenumber (Google's numbering metadata), so only dialable numbers get an SMS.</summary>
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

    /// <summary>The check the plugin applies: the custom validator, else E.164 when enabled, else anything.</summary>
    internal static bool IsAcceptable(PhoneNumberOptions options, string phoneNumber) =>
        options.PhoneNumberValidator?.Invoke(phoneNumber) ?? (!options.ValidateE164 || IsValidE164(phoneNumber));
}
