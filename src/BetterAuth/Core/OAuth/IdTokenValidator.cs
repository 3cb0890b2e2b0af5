using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BetterAuth.Core.OAuth;

/// <summary>
/// A provider's OpenID metadata (discovery document) or bare key set, fetched through <see cref="OAuthHttp"/> and
/// cached by IdentityModel's <see cref="ConfigurationManager{T}"/>: refreshed every 12 hours, and on demand (at most
/// every 5 minutes) when a token names a key we do not have yet, so key rotation needs no restart.
/// </summary>
internal sealed class OidcMetadata
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;

    /// <param name="http">The client the documents are fetched with (its spans, timeout and size limits).</param>
    /// <param name="address">A discovery URL (<paramref name="isDiscovery"/>) or a JWKS URL.</param>
    /// <param name="isDiscovery">Whether <paramref name="address"/> is an OpenID discovery document rather than a bare key set.</param>
    /// <param name="timeoutSeconds">How long one fetch may take.</param>
    public OidcMetadata(OAuthHttp http, string address, bool isDiscovery, int timeoutSeconds)
    {
        var documents = new FactoryDocumentRetriever(http, timeoutSeconds);
        _manager = isDiscovery
            ? new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), documents)
            : new ConfigurationManager<OpenIdConnectConfiguration>(address, new KeySetRetriever(), documents);
    }

    /// <summary>The cached metadata; a provider that cannot be reached is an unreachable <see cref="OAuthProviderException"/>.</summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken ct)
    {
        try
        {
            return await _manager.GetConfigurationAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            throw new OAuthProviderException("The provider's OpenID metadata could not be read: " + e.Message, unreachable: true, inner: e);
        }
    }

    public void RequestRefresh() => _manager.RequestRefresh();

    /// <summary>Fetches with our named client and timeout; plain http only to loopback (a local test or dev provider).</summary>
    private sealed class FactoryDocumentRetriever(OAuthHttp http, int timeoutSeconds) : IDocumentRetriever
    {
        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (!IsAllowed(address)) throw new InvalidOperationException($"Refusing to fetch {address}: https is required.");
            return http.GetStringAsync(address, timeoutSeconds, cancel);
        }
    }

    /// <summary>A configuration holding only the keys of a JWKS document (providers without discovery: Google, Apple, Facebook).</summary>
    private sealed class KeySetRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var config = new OpenIdConnectConfiguration { JsonWebKeySet = keys, JwksUri = address };
            foreach (var key in keys.GetSigningKeys()) config.SigningKeys.Add(key);
            return config;
        }
    }

    /// <summary>https anywhere; http only to a loopback host.</summary>
    public static bool IsAllowed(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

internal enum IdTokenStatus { Valid, Invalid, ProviderUnavailable }

/// <summary>
/// Checks an ID token a client sends: RSA/EC signature against the provider's keys (never <c>none</c> or HMAC),
/// issuer, audience, expiry (and not-before) on our clock, an optional maximum age, the nonce when one is given, and
/// that an access token sent with it is the one its <c>at_hash</c> names (OpenID Connect Core §3.2.2.9), when it names one.
/// </summary>
/// <param name="metadata">Where the provider's signing keys come from.</param>
/// <param name="time">The clock expiry, not-before and maximum age are checked against.</param>
/// <param name="issuers">The accepted <c>iss</c> values.</param>
/// <param name="audiences">The accepted <c>aud</c> values (our client ids at the provider).</param>
/// <param name="maxTokenAge">When set, the oldest <c>iat</c> accepted.</param>
/// <param name="acceptHashedNonce">
/// Also accept a <c>nonce</c> claim that is the lowercase hex SHA-256 of the given nonce (Apple's native SDKs put the
/// hash in the request; later Better Auth accepts it for Apple).
/// </param>
internal sealed class IdTokenValidator(OidcMetadata metadata, TimeProvider time, IReadOnlyList<string> issuers,
    IReadOnlyList<string> audiences, TimeSpan? maxTokenAge = null, bool acceptHashedNonce = false)
{
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];
    /// <summary>Tolerated clock difference with the provider (jose's default is none; a little absorbs NTP drift).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(IdTokenStatus Status, JsonElement? Claims)> ValidateAsync(string token, string? nonce, CancellationToken ct,
        string? accessToken = null)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16 * 1024 || !_handler.CanReadToken(token)) return (IdTokenStatus.Invalid, null);
        try
        {
            var config = await metadata.GetAsync(ct);
            var result = await _handler.ValidateTokenAsync(token, Parameters(config));
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // An unknown key id: the provider may have rotated its keys since we cached them.
                metadata.RequestRefresh();
                config = await metadata.GetAsync(ct);
                result = await _handler.ValidateTokenAsync(token, Parameters(config));
            }
            if (!result.IsValid) return (IdTokenStatus.Invalid, null);
            var claims = JwtPayload.Decode(token);
            if (claims is not { } c) return (IdTokenStatus.Invalid, null);
            if (nonce is not null && !NonceMatches(JwtPayload.String(c, "nonce"), nonce)) return (IdTokenStatus.Invalid, null);
            if (accessToken is not null && JwtPayload.String(c, "at_hash") is { } atHash &&
                !AccessTokenHashMatches(atHash, accessToken, (result.SecurityToken as JsonWebToken)?.Alg))
                return (IdTokenStatus.Invalid, null);
            if (maxTokenAge is { } age && (!c.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var issuedAt) ||
                DateTimeOffset.FromUnixTimeSeconds(issuedAt) < time.GetUtcNow() - age - Skew))
                return (IdTokenStatus.Invalid, null);
            return (IdTokenStatus.Valid, c);
        }
        catch (OAuthProviderException)
        {
            return (IdTokenStatus.ProviderUnavailable, null);
        }
    }

    private bool NonceMatches(string? claimed, string nonce) =>
        claimed is not null && (claimed == nonce ||
            (acceptHashedNonce && claimed == Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)))));

    /// <summary><c>at_hash</c>: base64url of the left half of the access token's hash, with the hash of the token's algorithm.</summary>
    private static bool AccessTokenHashMatches(string atHash, string accessToken, string? alg)
    {
        // The algorithm passed validation, so it is one of RS/PS/ES 256, 384 or 512.
        byte[] Hash(byte[] data) => (alg is { Length: >= 3 } a ? a[^3..] : null) switch
        {
            "384" => SHA384.HashData(data),
            "512" => SHA512.HashData(data),
            _ => SHA256.HashData(data),
        };
        var digest = Hash(Encoding.ASCII.GetBytes(accessToken));
        return OAuthUrl.Base64Url(digest[..(digest.Length / 2)]) == atHash;
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration config)
    {
        var validIssuers = issuers.Count > 0 ? issuers : string.IsNullOrEmpty(config.Issuer) ? [] : [config.Issuer];
        return new TokenValidationParameters
        {
            ValidIssuers = validIssuers,
            ValidateIssuer = true,
            ValidAudiences = audiences,
            ValidateAudience = true,
            IssuerSigningKeys = config.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = AsymmetricAlgorithms,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            // Our clock, not the machine's, so the fake clock of the tests and the server agree.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp.ToUniversalTime() > now - Skew && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now + Skew);
            },
        };
    }
}
