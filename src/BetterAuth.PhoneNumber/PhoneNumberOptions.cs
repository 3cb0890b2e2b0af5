using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>Options of the phone-number plugin, with Better Auth's defaults (plugins/phone-number/index.ts at 1.2.12).</summary>
public sealed class PhoneNumberOptions
{
    /// <summary>Digits in each code. Default 6; 0 means the default, as in Better Auth.</summary>
    public int OtpLength { get; set; } = 6;

    /// <summary>Seconds a code stays valid. Default 300; 0 means the default.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Wrong guesses allowed before a code is discarded. Default 3; 0 means the default.</summary>
    public int AllowedAttempts { get; set; } = 3;

    /// <summary>Refuse <c>/sign-in/phone-number</c> until the number is verified (a code is sent instead). Default false.</summary>
    public bool RequireVerification { get; set; }

    /// <summary>
    /// Strict numbers: accept only valid numbers in E.164 form (<c>+14155552671</c>), checked with libphonenumber
    /// (Google's numbering plan data), on <c>/phone-number/send-otp</c> and <c>/sign-in/phone-number</c>; anything else
    /// is 400 <c>INVALID_PHONE_NUMBER</c>. Default false: like Better Auth without a <c>phoneNumberValidator</c>, any
    /// string is a number, including the fictional <c>+1 555 01xx</c> and national spellings such as
    /// <c>(555) 010-0123</c>. Recommended in production: one spelling per number, and no texts to undialable numbers.
    /// A number already stored on a user is found and served as stored whatever this says, so turning it on never
    /// locks out users whose numbers were written in another format. Standalone server:
    /// <c>Plugins__PhoneNumber__ValidateE164=true</c>.
    /// </summary>
    public bool ValidateE164 { get; set; }

    /// <summary>
    /// A custom check (Better Auth's phoneNumberValidator); when set it replaces the E.164 check. As with
    /// <see cref="ValidateE164"/>, a number already stored on a user passes.
    /// </summary>
    public Func<string, bool>? PhoneNumberValidator { get; set; }

    /// <summary>Create a user when an unknown number is verified (Better Auth's signUpOnVerification). Off by default.</summary>
    public PhoneSignUpOptions SignUpOnVerification { get; set; } = new();

    /// <summary>Called after a number is verified on <c>/phone-number/verify</c> (Better Auth's callbackOnVerification).</summary>
    public Func<string, User, Task>? CallbackOnVerification { get; set; }

    /// <summary>Delivers SMS through an HTTP webhook when <see cref="SmsWebhookOptions.Url"/> is set. Not registered by default.</summary>
    public SmsWebhookOptions SmsWebhook { get; set; } = new();

    internal int EffectiveOtpLength => OtpLength > 0 ? OtpLength : 6;
    internal int EffectiveExpiresIn => ExpiresIn > 0 ? ExpiresIn : 300;
    internal int EffectiveAllowedAttempts => AllowedAttempts > 0 ? AllowedAttempts : 3;

    /// <summary>
    /// The standalone server's defaults, matching the reference configuration (shared/reference/server.mjs): an
    /// unknown verified number signs up as <c>&lt;letters and digits of the number&gt;@phone.reference.test</c>,
    /// named after the number. Configuration can override every value.
    /// </summary>
    public static PhoneNumberOptions StandaloneServerDefaults() => new()
    {
        SignUpOnVerification = new PhoneSignUpOptions { Enabled = true, TempEmailDomain = "phone.reference.test" },
    };
}

/// <summary>How <c>/phone-number/verify</c> signs up an unknown number: a user needs an email and a name, so temporary ones are made.</summary>
public sealed class PhoneSignUpOptions
{
    /// <summary>Create a user when a number that belongs to nobody is verified. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Domain of the temporary email when <see cref="GetTempEmail"/> is not set: <c>&lt;letters and digits&gt;@domain</c>.</summary>
    public string? TempEmailDomain { get; set; }

    /// <summary>The temporary email for a number (Better Auth's getTempEmail).</summary>
    public Func<string, string>? GetTempEmail { get; set; }

    /// <summary>The temporary name for a number (Better Auth's getTempName). Default: the number itself.</summary>
    public Func<string, string>? GetTempName { get; set; }

    internal string TempEmail(string phoneNumber)
    {
        if (GetTempEmail is not null) return GetTempEmail(phoneNumber);
        var local = new string(phoneNumber.Where(char.IsAsciiLetterOrDigit).ToArray());
        return $"{local}@{TempEmailDomain}";
    }

    internal string TempName(string phoneNumber) => GetTempName?.Invoke(phoneNumber) ?? phoneNumber;

    internal void Validate()
    {
        if (Enabled && GetTempEmail is null && string.IsNullOrWhiteSpace(TempEmailDomain))
            throw new InvalidOperationException(
                "PhoneNumber: SignUpOnVerification is enabled but neither GetTempEmail nor TempEmailDomain is set.");
    }
}
