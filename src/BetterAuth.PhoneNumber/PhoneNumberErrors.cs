namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>The phone-number plugin's error messages exactly as Better Auth 1.2.12 throws them (the wire code is derived from each).</summary>
internal static class PhoneNumberErrors
{
    public const string InvalidPhoneNumber = "Invalid phone number";
    public const string InvalidPhoneNumberOrPassword = "Invalid phone number or password";
    public const string UnexpectedError = "Unexpected error";
    public const string OtpNotFound = "OTP not found";
    public const string OtpExpired = "OTP expired";
    public const string InvalidOtp = "Invalid OTP";
    public const string PhoneNumberNotVerified = "Phone number not verified";
    /// <summary>Better Auth's key is PHONE_NUMBER_EXIST; the derived wire code is PHONE_NUMBER_ALREADY_EXISTS.</summary>
    public const string PhoneNumberExists = "Phone number already exists";
    public const string TooManyAttempts = "Too many attempts";
    public const string NotRegistered = "phone number isn't registered";
    public const string SendOtpNotImplemented = "sendOTP not implemented";
}
