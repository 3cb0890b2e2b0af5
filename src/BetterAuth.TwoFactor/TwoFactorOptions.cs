namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Options of the two-factor plugin, with Better Auth's defaults (plugins/two-factor/types.ts). Bound from the
/// standalone server's <c>Plugins:TwoFactor</c> section, e.g. <c>Plugins__TwoFactor__TotpOptions__Digits=8</c>.
/// </summary>
public sealed class TwoFactorOptions
{
    /// <summary>Issuer shown by authenticator apps; default: the app name (<c>BetterAuthOptions.AppName</c>).</summary>
    public string? Issuer { get; set; }

    /// <summary>Enable two-factor at once on <c>/two-factor/enable</c>, without a first verified code. Default false.</summary>
    public bool SkipVerificationOnEnable { get; set; }

    /// <summary>
    /// Lifetime in seconds of the <c>two_factor</c> cookie and its verification row: how long a user has to enter a
    /// code after the password. Better Auth 1.2.12 reads <c>otpOptions.period</c> (minutes) as seconds here, else 300;
    /// this is a separate setting with the same default, as later Better Auth versions have.
    /// </summary>
    public int TwoFactorCookieMaxAge { get; set; } = 300;

    /// <summary>Authenticator-app (TOTP) codes.</summary>
    public TwoFactorTotpOptions TotpOptions { get; set; } = new();
    /// <summary>One-time codes sent by mail or SMS.</summary>
    public TwoFactorOtpOptions OtpOptions { get; set; } = new();
    /// <summary>Backup codes.</summary>
    public TwoFactorBackupCodeOptions BackupCodeOptions { get; set; } = new();

    internal void Validate()
    {
        if (TotpOptions.Digits is not (6 or 8)) throw Invalid("TotpOptions.Digits must be 6 or 8");
        if (TotpOptions.Period <= 0) throw Invalid("TotpOptions.Period must be positive");
        if (OtpOptions.Digits is < 4 or > 10) throw Invalid("OtpOptions.Digits must be between 4 and 10");
        if (OtpOptions.Period <= 0) throw Invalid("OtpOptions.Period must be positive");
        if (OtpOptions.AllowedAttempts <= 0) throw Invalid("OtpOptions.AllowedAttempts must be positive");
        if (BackupCodeOptions.Amount <= 0) throw Invalid("BackupCodeOptions.Amount must be positive");
        if (BackupCodeOptions.Length < 2) throw Invalid("BackupCodeOptions.Length must be at least 2");
        if (TwoFactorCookieMaxAge <= 0) throw Invalid("TwoFactorCookieMaxAge must be positive");
    }

    private static InvalidOperationException Invalid(string message) => new($"Two-factor plugin: {message}.");
}

/// <summary>Authenticator-app codes (RFC 6238).</summary>
public sealed class TwoFactorTotpOptions
{
    /// <summary>Code length, 6 or 8. Default 6.</summary>
    public int Digits { get; set; } = 6;
    /// <summary>Seconds per code. Default 30.</summary>
    public int Period { get; set; } = 30;
    /// <summary>Turns the TOTP endpoints off ("totp isn't configured"). Default false.</summary>
    public bool Disable { get; set; }
}

/// <summary>Codes sent by mail or SMS through the registered message senders (kind <c>two-factor-otp</c>).</summary>
public sealed class TwoFactorOtpOptions
{
    /// <summary>Minutes a sent code stays valid. Default 3.</summary>
    public int Period { get; set; } = 3;
    /// <summary>Code length. Default 6.</summary>
    public int Digits { get; set; } = 6;
    /// <summary>Wrong codes accepted before the code is deleted. Default 5.</summary>
    public int AllowedAttempts { get; set; } = 5;
}

/// <summary>Backup codes: how many and how long.</summary>
public sealed class TwoFactorBackupCodeOptions
{
    /// <summary>Codes per set. Default 10.</summary>
    public int Amount { get; set; } = 10;
    /// <summary>Characters per code before the dash is inserted after the fifth. Default 10.</summary>
    public int Length { get; set; } = 10;
}
