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

    /// <param name="address">A discovery URL (<paramref name="isDiscovery"/>) or a JWKS URL.</param>
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
/// issuer, audience, expiry (and not-before) on our clock, an optional maximum age, and the nonce when one is given.
/// </summary>
internal sealed class IdTokenValidator(OidcMetadata metadata, TimeProvider time, IReadOnlyList<string> issuers,
    IReadOnlyList<string> audiences, TimeSpan? maxTokenAge = null)
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

    public async Task<(IdTokenStatus Status, JsonElement? Claims)> ValidateAsync(string token, string? nonce, CancellationToken ct)
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
            if (nonce is not null && JwtPayload.String(c, "nonce") != nonce) return (IdTokenStatus.Invalid, null);
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
