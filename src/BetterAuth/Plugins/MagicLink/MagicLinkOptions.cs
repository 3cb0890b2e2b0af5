namespace BetterAuth.Plugins.MagicLink;

/// <summary>Options of the magic-link plugin, with Better Auth's defaults (plugins/magic-link/index.ts at 1.2.12).</summary>
public sealed class MagicLinkOptions
{
    /// <summary>Seconds a link stays valid. Default 300; 0 means the default, as in Better Auth.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>
    /// Create no user for an unknown email. Default false. Unlike Better Auth (400 "User not found" on the send, which
    /// tells anyone whether an address has an account), an unknown email then gets the same answer as a known one and
    /// no mail; a link made before the account was deleted ends at <c>?error=new_user_signup_disabled</c>.
    /// </summary>
    public bool DisableSignUp { get; set; }

    /// <summary>Requests per window and client address on <c>/sign-in/magic-link</c> and <c>/magic-link/verify</c>. Default 5; 0 means the default.</summary>
    public int RateLimitMax { get; set; } = 5;

    /// <summary>The rate-limit window in seconds. Default 60; 0 means the default.</summary>
    public int RateLimitWindow { get; set; } = 60;

    /// <summary>
    /// Makes the token for an email instead of 32 random letters (Better Auth's generateToken). It is the link's only
    /// secret and is stored as the verification row's identifier, as Better Auth stores it: make it unguessable.
    /// </summary>
    public Func<string, string>? GenerateToken { get; set; }

    internal int EffectiveExpiresIn => ExpiresIn > 0 ? ExpiresIn : 300;
    internal int EffectiveRateLimitMax => RateLimitMax > 0 ? RateLimitMax : 5;
    internal int EffectiveRateLimitWindow => RateLimitWindow > 0 ? RateLimitWindow : 60;
}
