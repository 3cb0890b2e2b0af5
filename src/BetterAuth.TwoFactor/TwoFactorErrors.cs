namespace BetterAuth.Plugins.TwoFactor;

/// <summary>The plugin's error messages (plugins/two-factor/error-code.ts at 1.2.12); the wire code is derived from each.</summary>
internal static class TwoFactorErrors
{
    public const string OtpNotEnabled = "OTP not enabled";
    public const string OtpHasExpired = "OTP has expired";
    public const string TotpNotEnabled = "TOTP not enabled";
    public const string TwoFactorNotEnabled = "Two factor isn't enabled";
    public const string BackupCodesNotEnabled = "Backup codes aren't enabled";
    public const string InvalidBackupCode = "Invalid backup code";
    public const string InvalidCode = "Invalid code";
    public const string TooManyAttempts = "Too many attempts. Please request a new code.";
    public const string InvalidTwoFactorCookie = "Invalid two factor cookie";
    // Thrown inline by the endpoints.
    public const string TotpNotConfigured = "totp isn't configured";
    public const string OtpNotConfigured = "otp isn't configured";
    public const string NoPasswordCredential = "No password credential found";
}
