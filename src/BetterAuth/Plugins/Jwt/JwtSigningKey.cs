using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// A private signing key of one of the algorithms Better Auth's jwt plugin offers, made, exported and read back as
/// JSON Web Keys with the members (and member order) <c>jose</c>'s <c>exportJWK</c> writes, so a key stored by either
/// server signs on the other. EdDSA uses NSec (the BCL has no Ed25519); ECDSA and RSA use the BCL.
/// </summary>
internal abstract class JwtSigningKey : IDisposable
{
    /// <summary>The JWS algorithm, e.g. <c>EdDSA</c>, <c>ES256</c>, <c>RS256</c>.</summary>
    public abstract string Algorithm { get; }

    /// <summary>The JWS signature of <paramref name="signingInput"/> (for ECDSA the fixed-width r‖s form JWS requires).</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> signingInput);

    /// <summary>The public key as jose exports it (no <c>alg</c>, no <c>kid</c>).</summary>
    public abstract JsonObject PublicJwk();

    /// <summary>The private key as jose exports it: what the <c>jwks.privateKey</c> column holds (encrypted unless disabled).</summary>
    public abstract JsonObject PrivateJwk();

    public abstract void Dispose();

    /// <summary>A new key for the configured algorithm.</summary>
    public static JwtSigningKey Generate(JwtKeyPairConfig config) => config.Alg switch
    {
        "EdDSA" => Ed25519SigningKey.Generate(),
        "ES256" => new EcdsaSigningKey("ES256", ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        "ES512" => new EcdsaSigningKey("ES512", ECDsa.Create(ECCurve.NamedCurves.nistP521)),
        "RS256" or "PS256" => new RsaSigningKey(config.Alg, RSA.Create(config.ModulusLength ?? 2048)),
        _ => throw new InvalidOperationException($"JWT plugin: unsupported algorithm '{config.Alg}'."),
    };

    /// <summary>
    /// Reads a stored private JWK for <paramref name="algorithm"/>; null when the key is of another type (e.g. the
    /// configuration moved from EdDSA to ES256) or malformed.
    /// </summary>
    public static JwtSigningKey? Import(JsonObject jwk, string algorithm)
    {
        try
        {
            var kty = (string?)jwk["kty"];
            return (algorithm, kty) switch
            {
                ("EdDSA", "OKP") when (string?)jwk["crv"] == "Ed25519" => Ed25519SigningKey.Import(Bytes(jwk, "d")),
                ("ES256", "EC") when (string?)jwk["crv"] == "P-256" => EcdsaSigningKey.Import("ES256", ECCurve.NamedCurves.nistP256, jwk),
                ("ES512", "EC") when (string?)jwk["crv"] == "P-521" => EcdsaSigningKey.Import("ES512", ECCurve.NamedCurves.nistP521, jwk),
                ("RS256" or "PS256", "RSA") => RsaSigningKey.Import(algorithm, jwk),
                _ => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    protected static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    protected static byte[] Bytes(JsonObject jwk, string member) =>
        Base64Url.DecodeFromChars((string?)jwk[member] ?? throw new FormatException($"JWK member '{member}' is missing."));

    /// <summary>A big-endian integer left-padded with zeros to <paramref name="length"/> bytes (JWK drops leading zeros).</summary>
    protected static byte[] Padded(byte[] value, int length)
    {
        if (value.Length == length) return value;
        if (value.Length > length) throw new FormatException("JWK integer is longer than the key allows.");
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}

internal sealed class Ed25519SigningKey : JwtSigningKey
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private Ed25519SigningKey(Key key) => _key = key;

    public static Ed25519SigningKey Generate() =>
        new(Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public static Ed25519SigningKey Import(byte[] seed)
    {
        try
        {
            return new(Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
        }
        finally { CryptographicOperations.ZeroMemory(seed); }
    }

    public override string Algorithm => "EdDSA";

    public override byte[] Sign(ReadOnlySpan<byte> signingInput) => Ed25519.Sign(_key, signingInput);

    public override JsonObject PublicJwk() => new()
    {
        ["crv"] = "Ed25519",
        ["x"] = B64(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
        ["kty"] = "OKP",
    };

    public override JsonObject PrivateJwk()
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return new JsonObject
            {
                ["crv"] = "Ed25519",
                ["d"] = B64(seed),
                ["x"] = B64(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
                ["kty"] = "OKP",
            };
        }
        finally { CryptographicOperations.ZeroMemory(seed); }
    }

    public override void Dispose() => _key.Dispose();
}

internal sealed class EcdsaSigningKey(string algorithm, ECDsa key) : JwtSigningKey
{
    public override string Algorithm => algorithm;

    private HashAlgorithmName Hash => algorithm == "ES512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
    private string Curve => algorithm == "ES512" ? "P-521" : "P-256";

    public static EcdsaSigningKey Import(string algorithm, ECCurve curve, JsonObject jwk)
    {
        var size = algorithm == "ES512" ? 66 : 32;
        var parameters = new ECParameters
        {
            Curve = curve,
            D = Padded(Bytes(jwk, "d"), size),
            Q = new ECPoint { X = Padded(Bytes(jwk, "x"), size), Y = Padded(Bytes(jwk, "y"), size) },
        };
        try { return new EcdsaSigningKey(algorithm, ECDsa.Create(parameters)); }
        finally { CryptographicOperations.ZeroMemory(parameters.D); }
    }

    // One key object serves every request; the BCL does not promise concurrent use of one instance is safe.
    private readonly Lock _gate = new();

    public override byte[] Sign(ReadOnlySpan<byte> signingInput)
    {
        lock (_gate) return key.SignData(signingInput, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public override JsonObject PublicJwk()
    {
        var p = key.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["x"] = B64(p.Q.X), ["y"] = B64(p.Q.Y), ["crv"] = Curve };
    }

    public override JsonObject PrivateJwk()
    {
        var p = key.ExportParameters(true);
        try { return new JsonObject { ["kty"] = "EC", ["x"] = B64(p.Q.X), ["y"] = B64(p.Q.Y), ["crv"] = Curve, ["d"] = B64(p.D) }; }
        finally { CryptographicOperations.ZeroMemory(p.D); }
    }

    public override void Dispose() => key.Dispose();
}

internal sealed class RsaSigningKey(string algorithm, RSA key) : JwtSigningKey
{
    public override string Algorithm => algorithm;

    private RSASignaturePadding Padding => algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    public static RsaSigningKey Import(string algorithm, JsonObject jwk)
    {
        var modulus = Bytes(jwk, "n");
        var half = (modulus.Length + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = modulus,
            Exponent = Bytes(jwk, "e"),
            D = Padded(Bytes(jwk, "d"), modulus.Length),
            P = Padded(Bytes(jwk, "p"), half),
            Q = Padded(Bytes(jwk, "q"), half),
            DP = Padded(Bytes(jwk, "dp"), half),
            DQ = Padded(Bytes(jwk, "dq"), half),
            InverseQ = Padded(Bytes(jwk, "qi"), half),
        };
        if (modulus.Length * 8 < 2048) throw new FormatException("RSA keys shorter than 2048 bits are refused.");
        return new RsaSigningKey(algorithm, RSA.Create(parameters));
    }

    private readonly Lock _gate = new();

    public override byte[] Sign(ReadOnlySpan<byte> signingInput)
    {
        lock (_gate) return key.SignData(signingInput.ToArray(), HashAlgorithmName.SHA256, Padding);
    }

    public override JsonObject PublicJwk()
    {
        var p = key.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus), ["e"] = B64(p.Exponent) };
    }

    public override JsonObject PrivateJwk()
    {
        var p = key.ExportParameters(true);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["n"] = B64(p.Modulus),
            ["e"] = B64(p.Exponent),
            ["d"] = B64(p.D),
            ["p"] = B64(p.P),
            ["q"] = B64(p.Q),
            ["dp"] = B64(p.DP),
            ["dq"] = B64(p.DQ),
            ["qi"] = B64(p.InverseQ),
        };
    }

    public override void Dispose() => key.Dispose();
}
