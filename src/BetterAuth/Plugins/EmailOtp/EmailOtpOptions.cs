namespace BetterAuth.Plugins.EmailOtp;

/// <summary>Options of the email-OTP plugin, with Better Auth's defaults (plugins/email-otp/index.ts at 1.2.12).</summary>
public sealed class EmailOtpOptions
{
    /// <summary>Digits in each code. Default 6; 0 means the default.</summary>
    public int OtpLength { get; set; } = 6;

    /// <summary>Seconds a code stays valid. Default 300; 0 means the default.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Wrong guesses allowed before a code is discarded. Default 3; 0 means the default, as in Better Auth.</summary>
    public int AllowedAttempts { get; set; } = 3;

    /// <summary>After a successful <c>/sign-up/*</c>, send an <c>email-verification</c> code to the new user. Default false.</summary>
    public bool SendVerificationOnSignUp { get; set; }

    /// <summary>Refuse to create a user on <c>/sign-in/email-otp</c> for an unknown email (and send no sign-in code to one). Default false.</summary>
    public bool DisableSignUp { get; set; }

    /// <summary>Makes the code for (email, type) instead of random digits (Better Auth's generateOTP).</summary>
    public Func<string, string, string>? GenerateOtp { get; set; }

    internal int EffectiveOtpLength => OtpLength > 0 ? OtpLength : 6;
    internal int EffectiveExpiresIn => ExpiresIn > 0 ? ExpiresIn : 300;
    internal int EffectiveAllowedAttempts => AllowedAttempts > 0 ? AllowedAttempts : 3;
}
