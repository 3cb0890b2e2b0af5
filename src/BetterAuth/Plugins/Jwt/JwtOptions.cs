using System.Text.Json.Nodes;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// Options of the JWT plugin, named as Better Auth names them (plugins/jwt, <c>jwks</c> and <c>jwt</c> groups) with its
/// defaults. Bound from the standalone server's <c>Plugins:Jwt</c> section, e.g.
/// <c>Plugins__Jwt__Jwks__KeyPairConfig__Alg=ES256</c>, <c>Plugins__Jwt__Jwt__ExpirationTime=1h</c>.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The signing keys: algorithm, storage, rotation.</summary>
    public JwtKeySetOptions Jwks { get; set; } = new();

    /// <summary>The tokens: issuer, audience, lifetime, claims.</summary>
    public JwtTokenOptions Jwt { get; set; } = new();

    /// <summary>Do not add the <c>set-auth-jwt</c> header to get-session answers (a later Better Auth option). Default false.</summary>
    public bool DisableSettingJwtHeader { get; set; }

    internal void Validate()
    {
        var pair = Jwks.KeyPairConfig;
        switch (pair.Alg)
        {
            case "EdDSA":
                if (pair.Crv is not (null or "Ed25519"))
                    throw Invalid($"EdDSA keys are Ed25519 here; curve '{pair.Crv}' is not supported");
                break;
            case "ES256" or "ES512":
                if (pair.Crv is not null) throw Invalid($"{pair.Alg} takes no curve option");
                break;
            case "RS256" or "PS256":
                if (pair.ModulusLength is < 2048) throw Invalid("ModulusLength must be at least 2048");
                break;
            case "ECDH-ES":
                throw Invalid("ECDH-ES is a key agreement algorithm and cannot sign tokens; use EdDSA, ES256, ES512, RS256 or PS256");
            default:
                throw Invalid($"unknown algorithm '{pair.Alg}'; use EdDSA, ES256, ES512, RS256 or PS256");
        }
        if (Jwks.RotationInterval is <= 0) throw Invalid("Jwks.RotationInterval must be positive (seconds) or unset");
        if (Jwks.GracePeriod < 0) throw Invalid("Jwks.GracePeriod must not be negative");
        if (!JwtTimeSpan.TryParseSeconds(Jwt.ExpirationTime, out var seconds) || seconds <= 0)
            throw Invalid($"Jwt.ExpirationTime '{Jwt.ExpirationTime}' is not a positive time span such as \"15m\" or \"1 hour\"");
    }

    private static InvalidOperationException Invalid(string message) => new($"JWT plugin: {message}.");
}

/// <summary>Better Auth's <c>jwks</c> options.</summary>
public sealed class JwtKeySetOptions
{
    /// <summary>The algorithm of new keys. Default <c>{ alg: "EdDSA", crv: "Ed25519" }</c>.</summary>
    public JwtKeyPairConfig KeyPairConfig { get; set; } = new();

    /// <summary>
    /// Store private keys in plain text instead of encrypted with the auth secret (XChaCha20-Poly1305, Better Auth's
    /// symmetricEncrypt). Default false; leave it so unless the keys are protected elsewhere.
    /// </summary>
    public bool DisablePrivateKeyEncryption { get; set; }

    /// <summary>
    /// Seconds after which the newest key is replaced by a new one on the next signing (later Better Auth's
    /// <c>rotationInterval</c>, measured here from the key's <c>createdAt</c>, so the 1.2.12 table needs no new column).
    /// Default unset: keys are never rotated.
    /// </summary>
    public int? RotationInterval { get; set; }

    /// <summary>
    /// Seconds a rotated-out key stays listed in <c>/jwks</c> after its successor took over, so tokens it signed keep
    /// validating until they expire. Only used with <see cref="RotationInterval"/>. Default 2592000 (30 days).
    /// </summary>
    public int GracePeriod { get; set; } = 2_592_000;
}

/// <summary>Better Auth's <c>keyPairConfig</c>: the algorithm and its parameters.</summary>
public sealed class JwtKeyPairConfig
{
    /// <summary><c>EdDSA</c> (Ed25519, default), <c>ES256</c> (P-256), <c>ES512</c> (P-521), <c>RS256</c> or <c>PS256</c>.</summary>
    public string Alg { get; set; } = "EdDSA";

    /// <summary>The EdDSA curve; only <c>Ed25519</c> is supported (no .NET library here offers Ed448).</summary>
    public string? Crv { get; set; }

    /// <summary>RSA key size in bits. Default 2048.</summary>
    public int? ModulusLength { get; set; }
}

/// <summary>Better Auth's <c>jwt</c> options.</summary>
public sealed class JwtTokenOptions
{
    /// <summary>The <c>iss</c> claim. Default: the base URL's origin (or the request's when none is configured).</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> claim. Default: the same as the issuer default.</summary>
    public string? Audience { get; set; }

    /// <summary>Lifetime as jose's time span text ("15m", "2 hours", "1d"...). Default "15m".</summary>
    public string ExpirationTime { get; set; } = "15m";

    /// <summary>The token's claims before <c>iat</c>, <c>iss</c>, <c>aud</c>, <c>exp</c> and <c>sub</c> are set. Default: the user as get-session answers it.</summary>
    public Func<SessionWithUser, JsonObject>? DefinePayload { get; set; }

    /// <summary>The <c>sub</c> claim. Default: the user id.</summary>
    public Func<SessionWithUser, string>? GetSubject { get; set; }
}
