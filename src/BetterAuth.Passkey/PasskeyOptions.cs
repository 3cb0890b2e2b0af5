namespace BetterAuth.Plugins.Passkey;

/// <summary>
/// Options of the passkey plugin, named as Better Auth's <c>passkey({ rpID, rpName, origin, authenticatorSelection,
/// advanced })</c> names them. Bound from the standalone server's <c>Plugins:Passkey</c> section, e.g.
/// <c>Plugins__Passkey__RpId=example.com</c>, <c>Plugins__Passkey__Origins__0=https://app.example.com</c>.
/// </summary>
public sealed class PasskeyOptions
{
    /// <summary>
    /// The relying party id (Better Auth's <c>rpID</c>): the domain passkeys are bound to, e.g. <c>example.com</c>.
    /// Default: the host of <c>BetterAuthOptions.BaseUrl</c>, else <c>localhost</c>. A passkey only works on that domain
    /// and its subdomains, so changing it later orphans every registered passkey.
    /// </summary>
    public string? RpId { get; set; }

    /// <summary>The name authenticators show (Better Auth's <c>rpName</c>). Default: the app name.</summary>
    public string? RpName { get; set; }

    /// <summary>
    /// The origins allowed to run a ceremony (Better Auth's <c>origin</c>, one string in 1.2.12, several in later
    /// versions): a browser's <c>clientDataJSON.origin</c> must be one of them, compared by scheme, host and port.
    /// Default: the base URL's origin and the trusted origins (those without wildcards); with neither, the origin the
    /// request was served on.
    /// </summary>
    public List<string> Origins { get; set; } = new();

    /// <summary>
    /// The <c>authenticatorSelection</c> of registration options (Better Auth's option of the same name). Better Auth's
    /// defaults: resident key and user verification "preferred".
    /// </summary>
    public PasskeyAuthenticatorSelection AuthenticatorSelection { get; set; } = new();

    /// <summary>Better Auth's <c>advanced</c> options.</summary>
    public PasskeyAdvancedOptions Advanced { get; set; } = new();

    /// <summary>
    /// Seconds a ceremony's challenge stays valid, counted from when it was made (the cookie's Max-Age too). Better
    /// Auth uses 5 minutes (counted, by a defect, from the server's start); so does this default.
    /// </summary>
    public int ChallengeExpiresIn { get; set; } = 300;

    internal void Validate()
    {
        if (ChallengeExpiresIn <= 0) throw Invalid("ChallengeExpiresIn must be positive");
        if (RpId is { Length: 0 }) throw Invalid("RpId must not be empty");
        if (RpId is not null && (RpId.Contains('/') || RpId.Contains(':')))
            throw Invalid("RpId is a domain (example.com), not a URL");
        foreach (var origin in Origins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || origin.Contains('*'))
                throw Invalid($"'{origin}' in Origins is not an http(s) origin");
        AuthenticatorSelection.Validate();
        if (string.IsNullOrWhiteSpace(Advanced.WebAuthnChallengeCookie)) throw Invalid("Advanced.WebAuthnChallengeCookie must not be empty");
    }

    internal static InvalidOperationException Invalid(string message) => new($"Passkey plugin: {message}.");
}

/// <summary>WebAuthn's <c>authenticatorSelection</c> for registration, as Better Auth passes it to SimpleWebAuthn.</summary>
public sealed class PasskeyAuthenticatorSelection
{
    /// <summary><c>platform</c> (this device) or <c>cross-platform</c> (a security key, a phone); null lets the user choose.
    /// A request's <c>authenticatorAttachment</c> query parameter overrides it.</summary>
    public string? AuthenticatorAttachment { get; set; }

    /// <summary><c>discouraged</c>, <c>preferred</c> (default) or <c>required</c>: whether the passkey is discoverable.</summary>
    public string ResidentKey { get; set; } = "preferred";

    /// <summary>Default: true when <see cref="ResidentKey"/> is <c>required</c> (SimpleWebAuthn's rule).</summary>
    public bool? RequireResidentKey { get; set; }

    /// <summary>
    /// <c>discouraged</c>, <c>preferred</c> (default) or <c>required</c>. Better Auth never enforces it when verifying;
    /// here <c>required</c> is enforced at registration and sign-in (a response without the UV flag is refused).
    /// </summary>
    public string UserVerification { get; set; } = "preferred";

    internal void Validate()
    {
        if (AuthenticatorAttachment is not (null or "platform" or "cross-platform"))
            throw PasskeyOptions.Invalid("AuthenticatorSelection.AuthenticatorAttachment must be platform or cross-platform");
        if (ResidentKey is not ("discouraged" or "preferred" or "required"))
            throw PasskeyOptions.Invalid("AuthenticatorSelection.ResidentKey must be discouraged, preferred or required");
        if (UserVerification is not ("discouraged" or "preferred" or "required"))
            throw PasskeyOptions.Invalid("AuthenticatorSelection.UserVerification must be discouraged, preferred or required");
    }
}

/// <summary>Better Auth's <c>advanced</c> passkey options.</summary>
public sealed class PasskeyAdvancedOptions
{
    /// <summary>The challenge cookie's name after the cookie prefix (default <c>better-auth-passkey</c>, so the cookie is
    /// <c>better-auth.better-auth-passkey</c>).</summary>
    public string WebAuthnChallengeCookie { get; set; } = "better-auth-passkey";
}
