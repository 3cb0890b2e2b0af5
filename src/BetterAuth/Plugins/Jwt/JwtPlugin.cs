using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// Better Auth's <c>jwt</c> plugin (1.2.12): <c>GET /token</c> gives the signed-in user a JWT, <c>GET /jwks</c> publishes
/// the public keys to check it with, and get-session answers carry a fresh token in <c>set-auth-jwt</c>. Keys live in
/// Better Auth's <c>jwks</c> table with the private key encrypted as Better Auth encrypts it, so either server signs with
/// keys the other made. Off unless added; other services validate the tokens against <c>/jwks</c> (any JOSE library, or
/// ASP.NET Core's JwtBearer handler for the ES256/ES512/RS256/PS256 algorithms: Microsoft.IdentityModel has no EdDSA).
/// </summary>
public sealed class JwtPlugin : IBetterAuthPlugin
{
    private readonly JwtOptions _options;

    /// <summary>The plugin with <paramref name="options"/> (Better Auth's defaults when null); options that cannot sign throw.</summary>
    public JwtPlugin(JwtOptions? options = null)
    {
        _options = options ?? new JwtOptions();
        _options.Validate();
    }

    /// <summary>Better Auth's plugin id, <c>jwt</c>.</summary>
    public string Id => "jwt";

    /// <summary>The options in force (validated).</summary>
    public JwtOptions Options => _options;

    /// <summary>Registers the <c>jwks</c> table, <c>/jwks</c>, <c>/token</c> and the get-session header.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        builder.AddModel(JwksRow.Configure);
        // Better Auth stores the encrypted private JWK as a JSON string of the ciphertext.
        builder.AddEncryptedColumn<JwksRow>(nameof(JwksRow.PrivateKey), CiphertextFormat.JsonString);
        var keys = new JwtKeyRing(_options);
        var endpoints = new JwtEndpoints(_options, keys, new JwtIssuer(_options, keys));
        foreach (var endpoint in endpoints.All) builder.AddEndpoint(endpoint);
        builder.After(JwtEndpoints.IsGetSession, endpoints.AddHeaderAsync);
        builder.AddJsonTypes(JwtJsonContext.Default);
    }
}
